import { AccountDataSection } from '@app/auth';
import {
  AppointmentDataSection,
  CalendarDataSection,
  PracticeDataSection,
  SeriesDataSection,
  WaitlistDataSection,
} from '@app/booking';
import { IdempotencyDataSection, type PersonalDataSection } from '@app/core';
import { NotificationDataSection } from '@app/notifications';
import { PaymentDataSection } from '@app/payments';
import { WebhookDataSection } from '@app/webhooks';

export const PERSONAL_DATA_SECTIONS = Symbol('PERSONAL_DATA_SECTIONS');

/**
 * Every table family that holds personal data, in export order; an erasure runs them in this
 * order too, the account last (the others still see the old name and email to scrub).
 */
export const SECTION_CLASSES = [
  AppointmentDataSection,
  SeriesDataSection,
  PaymentDataSection,
  NotificationDataSection,
  WaitlistDataSection,
  PracticeDataSection,
  CalendarDataSection,
  WebhookDataSection,
  IdempotencyDataSection,
  AccountDataSection,
];

export type PersonalDataSections = PersonalDataSection[];
