import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { WebhookEndpoint } from '@app/database';
import { NotificationDispatcher } from '@app/notifications';
import { defineJob, JobHandler, QueueName } from '@app/queues';

export interface WebhookDisabledNoticeData {
  endpointId: string;
  /** ISO instant of the disabling: one email per time it happens. */
  disabledAt: string;
}

/** Recorded with the disabling itself, so the owner hears of it even after a crash. */
export const webhookDisabledNoticeJob = defineJob<WebhookDisabledNoticeData>({
  name: 'webhook.disabled-notice',
  queue: QueueName.Notifications,
  id: ({ endpointId, disabledAt }) => `webhook-disabled-${endpointId}-${Date.parse(disabledAt)}`,
});

@Injectable()
export class WebhookDisabledNoticeHandler extends JobHandler<WebhookDisabledNoticeData> {
  readonly job = webhookDisabledNoticeJob;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispatcher: NotificationDispatcher,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run({ endpointId, disabledAt }: WebhookDisabledNoticeData): Promise<number> {
    const endpoint = await this.db
      .getRepository(WebhookEndpoint)
      .findOne({ where: { id: endpointId } });
    if (!endpoint) return 0;
    const days = this.config.webhooks.retryDays;
    return this.dispatcher.dispatch(null, [
      {
        userId: endpoint.ownerId,
        type: 'webhook_disabled',
        dedupeKey: `webhook-disabled:${endpointId}:${disabledAt}`,
        channels: ['email', 'in_app'],
        content: {
          subject: 'A webhook endpoint was disabled',
          heading: 'Your webhook endpoint was disabled',
          paragraphs: [
            `Every delivery to ${endpoint.url} has failed for ${days} days, so it no longer receives events.`,
            'Fix the receiver, switch the endpoint on again (PATCH /webhooks/{id} with enabled: true) and redeliver what it missed from its delivery log.',
          ],
          details: [
            { label: 'Endpoint', value: endpoint.url },
            { label: 'Endpoint id', value: endpoint.id },
          ],
        },
        data: { webhookId: endpoint.id, url: endpoint.url },
      },
    ]);
  }
}
