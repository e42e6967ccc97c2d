import { AccountDataSection } from '@app/auth';
import { AppointmentDataSection, PracticeDataSection, WaitlistDataSection } from '@app/booking';
import { IdempotencyDataSection, type PersonalDataSection } from '@app/core';
import { NotificationDataSection } from '@app/notifications';
import { PaymentDataSection } from '@app/payments';

export const PERSONAL_DATA_SECTIONS = Symbol('PERSONAL_DATA_SECTIONS');

/**
 * Every table family that holds personal data, in export order; an erasure runs them in this
 * order too, the account last (the others still see the old name and email to scrub).
 * Not here yet because their tables do not exist in this release: appointment series,
 * calendar feeds, outgoing webhooks. Each joins with a section of its own.
 */
export const SECTION_CLASSES = [
  AppointmentDataSection,
  PaymentDataSection,
  NotificationDataSection,
  WaitlistDataSection,
  PracticeDataSection,
  IdempotencyDataSection,
  AccountDataSection,
];

export type PersonalDataSections = PersonalDataSection[];
