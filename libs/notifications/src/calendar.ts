import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';
import { APP_NAME } from './template-renderer';
import type { CalendarInvite, CalendarPerson } from './message';

/**
 * An iCalendar (.ics) invitation for one recipient, its one ATTENDEE (RFC 5546 wants an
 * ORGANIZER and an ATTENDEE in a REQUEST and a CANCEL); the UID stays stable across
 * reschedules.
 */
export function calendarAttachment(
  invite: CalendarInvite,
  attendee: CalendarPerson,
  language = 'en',
): {
  filename: string;
  content: string;
  contentType: string;
  contentTransferEncoding: 'base64';
} {
  const cancel = invite.method === 'CANCEL';
  const calendar = ical({
    name: APP_NAME,
    prodId: {
      company: 'doctor-appointment',
      product: 'appointments',
      language: language.toUpperCase(),
    },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: `${invite.appointmentId}@doctor-appointment`,
    start: new Date(invite.startsAt),
    end: new Date(invite.endsAt),
    summary: invite.summary,
    description: invite.description,
    sequence: invite.sequence,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: invite.organizer,
    attendees: [
      {
        ...attendee,
        role: ICalAttendeeRole.REQ,
        // Booking it was the answer: no reply is asked for, and none would be read.
        status: ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      },
    ],
  });
  const text = calendar.toString();
  return {
    filename: 'appointment.ics',
    // RFC 5545 ends every content line with CRLF; ical-generator leaves the last one bare.
    content: text.endsWith('\r\n') ? text : `${text}\r\n`,
    contentType: `text/calendar; charset=utf-8; method=${invite.method}`,
    // A relay may rewrite the line endings of a quoted-printable part; base64 keeps the bytes.
    contentTransferEncoding: 'base64',
  };
}
