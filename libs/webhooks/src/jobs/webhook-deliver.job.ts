import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { DeliverWebhook, type DeliveryOutcome } from '../deliver-webhook';

export interface WebhookDeliverData {
  deliveryId: string;
  endpointId: string;
  /** The `webhook-id`. */
  eventId: string;
  /** Which scheduled attempt this is: a later retry or redelivery supersedes it. */
  round: number;
}

/** One attempt of one delivery; a failed attempt records the next round with its backoff. */
export const webhookDeliverJob = defineJob<WebhookDeliverData>({
  name: 'webhook.deliver',
  queue: QueueName.Webhooks,
  id: ({ endpointId, eventId, round }) => `webhook-${endpointId}-${eventId}-${round}`,
});

@Injectable()
export class WebhookDeliverHandler extends JobHandler<WebhookDeliverData> {
  readonly job = webhookDeliverJob;

  constructor(private readonly deliver: DeliverWebhook) {
    super();
  }

  run(data: WebhookDeliverData): Promise<DeliveryOutcome> {
    return this.deliver.execute(data, (round, at) =>
      webhookDeliverJob.with({ ...data, round }, at),
    );
  }

  override async giveUp(data: WebhookDeliverData, reason: string): Promise<void> {
    await this.deliver.abandon(data, reason);
  }
}
