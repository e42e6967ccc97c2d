import ICAL from 'ical.js';
import { UserRole } from '@app/database';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { createActor } from './support/doctor-helpers';
import { SinkMessage } from './support/smtp-sink';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface Invite {
  subject: string;
  raw: string;
  contentType: string;
  method: string;
  uid: string;
  sequence: number;
  status: string;
  organizer: { value: string; cn: string };
  attendees: { value: string; cn: string }[];
}

const ISSUED_IN_ORDER = [
  'Appointment confirmed',
  'Appointment rescheduled',
  'Appointment rescheduled',
  'Appointment cancelled',
];

/** Reads an emailed invitation with ical.js, a parser nobody here wrote. */
function parseInvite(message: SinkMessage): Invite {
  const attachment = message.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!attachment) throw new Error(`No .ics in "${message.subject}"`);
  const raw = attachment.content.toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(raw));
  const event = calendar.getFirstSubcomponent('vevent')!;
  const person = (property: ICAL.Property) => ({
    // A URI's scheme is case-insensitive (RFC 3986): ical-generator writes both spellings.
    value: String(property.getFirstValue()).replace(/^mailto:/i, 'mailto:'),
    cn: String(property.getParameter('cn')),
  });
  const organizer = event.getFirstProperty('organizer');
  return {
    subject: message.subject,
    raw,
    contentType: attachment.contentType,
    method: String(calendar.getFirstPropertyValue('method')),
    uid: String(event.getFirstPropertyValue('uid')),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    status: String(event.getFirstPropertyValue('status')),
    organizer: organizer ? person(organizer) : { value: '', cn: '' },
    attendees: event.getAllProperties('attendee').map(person),
  };
}

/** The invitations of RFC 5546 that calendars accept: who organizes, who attends, in order. */
describe('Calendar invitations', () => {
  let app: TestApp;
  let fx: BookingFixtures;

  const auth = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });

  beforeAll(async () => {
    app = await TestApp.start({ env: { MAIL_FROM: 'Riverside Clinic <desk@clinic.example>' } });
    fx = new BookingFixtures(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('sends book → reschedule → reschedule → cancel as one event with a growing SEQUENCE', async () => {
    const doctor = await fx.doctor({ firstName: 'Gregory', lastName: 'House' });
    const patient = await createActor(app, UserRole.Patient, {
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    const names = new Map([
      [doctor.id, 'Gregory House'],
      [patient.id, 'Ada Lovelace'],
    ]);
    const first = await app.http
      .post('/api/v1/appointments')
      .set(auth(patient))
      .send({ doctorId: doctor.id, startsAt: slotAt(70) })
      .expect(201);
    // Each change waits for the previous invitation: the order they were issued in is then
    // the order they arrived in, yet all of it runs within a second or two.
    const invitesTo = (actor: Actor) =>
      app.smtp
        .to(actor.email)
        .filter((m) => m.attachments.some((a) => a.contentType.startsWith('text/calendar')));
    const arrived = (count: number) =>
      waitFor(
        () =>
          invitesTo(patient).length >= count && invitesTo(doctor).length >= count ? true : null,
        { what: `${count} invitation(s) to patient and doctor` },
      );
    await arrived(1);
    let current = first.body.id as string;
    for (const [n, hoursAhead] of [
      [2, 71],
      [3, 72],
    ]) {
      const moved = await app.http
        .post(`/api/v1/appointments/${current}/reschedule`)
        .set(auth(patient))
        .send({ startsAt: slotAt(hoursAhead) })
        .expect(200);
      current = moved.body.id;
      await arrived(n);
    }
    await app.http
      .post(`/api/v1/appointments/${current}/cancel`)
      .set(auth(patient))
      .send({})
      .expect(200);
    await arrived(4);

    for (const recipient of [patient, doctor]) {
      const invites = invitesTo(recipient).map(parseInvite);
      expect(invites.map((i) => i.subject)).toEqual(ISSUED_IN_ORDER);
      expect(invites.map((i) => i.method)).toEqual(['REQUEST', 'REQUEST', 'REQUEST', 'CANCEL']);
      expect(invites.map((i) => i.status)).toEqual([
        'CONFIRMED',
        'CONFIRMED',
        'CONFIRMED',
        'CANCELLED',
      ]);
      expect(invites.map((i) => i.contentType)).toEqual([
        'text/calendar',
        'text/calendar',
        'text/calendar',
        'text/calendar',
      ]);
      // One calendar entry, moved twice and then removed.
      expect(new Set(invites.map((i) => i.uid))).toEqual(
        new Set([`${first.body.id}@doctor-appointment`]),
      );
      const sequences = invites.map((i) => i.sequence);
      for (let i = 1; i < sequences.length; i += 1) {
        expect(sequences[i]).toBeGreaterThan(sequences[i - 1]!);
      }
      for (const invite of invites) {
        expect(invite.organizer).toEqual({
          value: 'mailto:desk@clinic.example',
          cn: 'Dr. House',
        });
        // The recipient is the one attendee: nobody's address is in another person's invite.
        expect(invite.attendees).toEqual([
          {
            value: `mailto:${recipient.email}`,
            cn: names.get(recipient.id),
          },
        ]);
        // RFC 5545 §3.1: every content line, the last one too, ends with CRLF.
        expect(invite.raw.endsWith('END:VCALENDAR\r\n')).toBe(true);
        expect(invite.raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      }
    }
  });
});
