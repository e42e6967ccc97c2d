import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationError } from '@app/common';
import { recordJobs } from '@app/queues';
import { paymentWebhookJob } from '../jobs/payment-webhook.job';
import { PayPalClient, WebhookHeaders } from '../paypal';
import { WebhookNotVerifiedError } from './payment.errors';
import { parseWebhookEnvelope } from './webhook-event';

export interface WebhookReceipt {
  /** False when the event id was already in the inbox (a redelivery). */
  stored: boolean;
}

/**
 * Accepts a PayPal webhook: verified with PayPal first (unverified: nothing is written),
 * then stored once per event id in the inbox; the worker acts on it. PayPal being
 * unreachable answers 502, so PayPal delivers again later.
 */
@Injectable()
export class ReceivePayPalWebhook {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly paypal: PayPalClient,
  ) {}

  async execute(headers: WebhookHeaders, rawBody: Buffer | undefined): Promise<WebhookReceipt> {
    if (!rawBody || !(await this.paypal.verifyWebhookSignature(headers, rawBody)))
      throw new WebhookNotVerifiedError();
    const event = parseWebhookEnvelope(rawBody);
    if (!event)
      throw new ValidationError('The body is not a PayPal webhook event (no id or event_type)');
    return this.db.transaction(async (manager) => {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO payment_events (provider_event_id, event_type, resource_id, payload)
         VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (provider_event_id) DO NOTHING
         RETURNING id`,
        [event.id, event.eventType, event.resourceId, rawBody.toString('utf8')],
      );
      if (inserted.length === 0) return { stored: false };
      await recordJobs(manager, [paymentWebhookJob.with({ paymentEventId: inserted[0].id })]);
      return { stored: true };
    });
  }
}
