import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { DeliverWebhook } from './deliver-webhook';
import { EndpointSlots } from './endpoint-slots';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WebhookFanout } from './webhook-fanout.subscriber';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookStats } from './webhook-stats';
import { WebhookTarget } from './webhook-target';

const SHARED = [WebhookSecrets, WebhookTarget, WebhookEndpoints, WebhookDeliveries, WebhookStats];

/** The api's side: managing endpoints, the delivery log, figures for /metrics. */
@Module({
  providers: SHARED,
  exports: SHARED,
})
export class WebhooksModule {}

/** The worker's side: fan-out of events to endpoints and the deliveries themselves. */
@Module({
  imports: [BookingModule],
  providers: [...SHARED, WebhookFanout, DeliverWebhook, EndpointSlots],
  exports: [...SHARED, DeliverWebhook, EndpointSlots],
})
export class WebhookDeliveryModule {}
