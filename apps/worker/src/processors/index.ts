import { BookingProcessor } from './booking.processor';
import { EventsProcessor } from './events.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { NotificationsProcessor } from './notifications.processor';
import { PaymentsProcessor } from './payments.processor';
import { SystemProcessor } from './system.processor';
import { WebhooksProcessor } from './webhooks.processor';

export const PROCESSORS = [
  BookingProcessor,
  EventsProcessor,
  MaintenanceProcessor,
  NotificationsProcessor,
  PaymentsProcessor,
  SystemProcessor,
  WebhooksProcessor,
];
