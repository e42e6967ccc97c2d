import { Appointment } from './appointment.entity';
import { AppointmentSeries } from './appointment-series.entity';
import { AppointmentStatusChange } from './appointment-status-change.entity';
import { AuditLog } from './audit-log.entity';
import { AvailabilityRule } from './availability-rule.entity';
import { BusyCalendar } from './busy-calendar.entity';
import { BusyInterval } from './busy-interval.entity';
import { CalendarFeed } from './calendar-feed.entity';
import { DoctorProfile } from './doctor-profile.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { Notification } from './notification.entity';
import { OneTimeToken } from './one-time-token.entity';
import { OutboxEvent } from './outbox-event.entity';
import { Payment } from './payment.entity';
import { PaymentEvent } from './payment-event.entity';
import { PaymentItem } from './payment-item.entity';
import { RefreshToken } from './refresh-token.entity';
import { Refund } from './refund.entity';
import { Specialty } from './specialty.entity';
import { TimeOff } from './time-off.entity';
import { User } from './user.entity';
import { VisitType } from './visit-type.entity';
import { WaitlistEntry } from './waitlist-entry.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export {
  Appointment,
  AppointmentSeries,
  AppointmentStatusChange,
  AuditLog,
  AvailabilityRule,
  BusyCalendar,
  BusyInterval,
  CalendarFeed,
  DoctorProfile,
  IdempotencyKey,
  Notification,
  OneTimeToken,
  OutboxEvent,
  Payment,
  PaymentEvent,
  PaymentItem,
  RefreshToken,
  Refund,
  Specialty,
  TimeOff,
  User,
  VisitType,
  WaitlistEntry,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
};
export type { IntakeAnswer } from './appointment.entity';
export type { IntakeQuestion, QuestionKind } from './visit-type.entity';

export const ENTITIES = [
  Appointment,
  AppointmentSeries,
  AppointmentStatusChange,
  AuditLog,
  AvailabilityRule,
  BusyCalendar,
  BusyInterval,
  CalendarFeed,
  DoctorProfile,
  IdempotencyKey,
  Notification,
  OneTimeToken,
  OutboxEvent,
  Payment,
  PaymentEvent,
  PaymentItem,
  RefreshToken,
  Refund,
  Specialty,
  TimeOff,
  User,
  VisitType,
  WaitlistEntry,
  WebhookDelivery,
  WebhookEndpoint,
];
