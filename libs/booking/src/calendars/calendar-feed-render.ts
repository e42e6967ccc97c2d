import ical, { ICalEventStatus } from 'ical-generator';
import { AppointmentStatus } from '@app/database';

/** What one VEVENT of a feed shows: times, status and names, never answers, reasons or emails. */
export interface FeedEntry {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  updatedAt: Date;
  sequence: number;
  visitTypeName: string;
  location: string | null;
  otherFirstName: string;
  otherLastName: string;
}

const STATUS: Partial<Record<AppointmentStatus, ICalEventStatus>> = {
  [AppointmentStatus.PendingApproval]: ICalEventStatus.TENTATIVE,
  [AppointmentStatus.PendingPayment]: ICalEventStatus.TENTATIVE,
  [AppointmentStatus.Confirmed]: ICalEventStatus.CONFIRMED,
  [AppointmentStatus.Completed]: ICalEventStatus.CONFIRMED,
  [AppointmentStatus.NoShow]: ICalEventStatus.CONFIRMED,
  [AppointmentStatus.Cancelled]: ICalEventStatus.CANCELLED,
  [AppointmentStatus.Declined]: ICalEventStatus.CANCELLED,
};

/** The statuses a feed shows (not expired holds, not the old half of a reschedule). */
export const FEED_STATUSES = Object.keys(STATUS) as AppointmentStatus[];

/**
 * A subscribable RFC 5545 calendar (no METHOD: a published feed, not an invitation).
 * DTSTAMP is the appointment's last change, so the same data gives the same bytes.
 */
export function renderCalendarFeed(entries: FeedEntry[], host: string): string {
  const calendar = ical({
    name: 'Appointments',
    prodId: { company: 'doctor-appointment', product: 'calendar-feed', language: 'EN' },
    // Clients that honour it (Apple, Outlook) poll every 15 minutes.
    ttl: 15 * 60,
  });
  for (const entry of entries) {
    calendar.createEvent({
      id: `${entry.id}@${host}`,
      sequence: entry.sequence,
      stamp: entry.updatedAt,
      lastModified: entry.updatedAt,
      start: entry.startsAt,
      end: entry.endsAt,
      summary: `${entry.visitTypeName} with ${entry.otherFirstName} ${entry.otherLastName}`.trim(),
      location: entry.location ?? undefined,
      status: STATUS[entry.status] ?? ICalEventStatus.CONFIRMED,
    });
  }
  const text = calendar.toString();
  // RFC 5545 ends every content line with CRLF; ical-generator leaves the last one bare.
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
