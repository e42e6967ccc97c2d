import type { Locale } from '@app/database';

/** What a notification says, independent of the channel, in its reader's language. */
export interface MessageContent {
  /** The reader's locale when it was written; the email's own words follow it (default en). */
  locale?: Locale;
  subject: string;
  heading: string;
  paragraphs: string[];
  details?: { label: string; value: string }[];
  /**
   * Health data (reason, intake answers): email only, never in-app; dropped from the stored
   * row once the email is sent.
   */
  intake?: { label: string; value: string }[];
  action?: { label: string; url: string };
}

export interface CalendarInvite {
  /** The event's UID: the first appointment of the reschedule chain, stable across moves. */
  appointmentId: string;
  startsAt: string;
  endsAt: string;
  summary: string;
  description: string;
  /** CANCEL removes the event from the recipient's calendar. */
  method: 'REQUEST' | 'CANCEL';
  /** Grows with every change of the chain: calendars apply the highest and ignore the rest. */
  sequence: number;
  /** RFC 5546's ORGANIZER: the doctor, under the mailbox the emails come from. */
  organizer: CalendarPerson;
}

export interface CalendarPerson {
  name: string;
  email: string;
}

/** One notification to one user; `channels` decides where it goes. */
export interface NotificationDraft {
  userId: string;
  type: string;
  /** Unique per recipient and occasion: a re-run of the same occasion creates nothing new. */
  dedupeKey: string;
  channels: ('email' | 'in_app')[];
  content: MessageContent;
  data: Record<string, unknown>;
  calendar?: CalendarInvite;
}
