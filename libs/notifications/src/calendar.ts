import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { APP_NAME } from './template-renderer';
import type { CalendarInvite } from './message';

/** An iCalendar (.ics) invitation; the UID stays stable across reschedules. */
export function calendarAttachment(invite: CalendarInvite): {
  filename: string;
  content: string;
  contentType: string;
} {
  const calendar = ical({
    name: APP_NAME,
    prodId: { company: 'doctor-appointment', product: 'appointments', language: 'EN' },
    method: invite.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: `${invite.appointmentId}@doctor-appointment`,
    start: new Date(invite.startsAt),
    end: new Date(invite.endsAt),
    summary: invite.summary,
    description: invite.description,
    sequence: invite.sequence,
    status: invite.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  const method = invite.method === 'CANCEL' ? 'CANCEL' : 'REQUEST';
  return {
    filename: 'appointment.ics',
    content: calendar.toString(),
    contentType: `text/calendar; charset=utf-8; method=${method}`,
  };
}
