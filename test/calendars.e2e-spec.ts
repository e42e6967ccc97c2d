import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import ical from 'node-ical';
import { UserRole } from '@app/database';
import { Actor, BookingFixtures } from './support/booking-fixtures';
import { createActor } from './support/doctor-helpers';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const ZONE = 'America/New_York';
const CRLF = '\r\n';

/** A real .ics file as calendar products write them (CRLF lines, VTIMEZONE, DTSTAMP). */
function icsFile(...lines: string[]): string {
  return (
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example Corp.//Outlook 16.0 MIMEDIR//EN',
      'CALSCALE:GREGORIAN',
      ...lines,
      'END:VCALENDAR',
    ].join(CRLF) + CRLF
  );
}

/** Central Europe as Outlook names and defines it: a zone only its VTIMEZONE explains. */
const CENTRAL_EUROPE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16011028T030000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010325T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

/** The VEVENTs of a feed as node-ical reads them. */
function eventsOf(text: string): ical.VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter(
    (c): c is ical.VEvent => c?.type === 'VEVENT',
  );
}

const basic = (date: DateTime) => date.toFormat("yyyyMMdd'T'HHmmss");
const utcBasic = (date: DateTime) => `${basic(date.toUTC())}Z`;

/** A local HTTP server serving one calendar file, or a 500 when told to fail. */
class CalendarServer {
  body = '';
  failing = false;
  requests = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<CalendarServer> {
    const server = createServer();
    const calendars = new CalendarServer(server);
    server.on('request', (req, res) => {
      calendars.requests += 1;
      if (calendars.failing) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('oops');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8' }).end(calendars.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return calendars;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/doctor.ics'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface BusyCalendar {
  url: string;
  lastFetchedAt: string | null;
  lastError: string | null;
  busyCount: number;
}

describe('Calendars', () => {
  const auth = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });

  describe('busy calendars and the feed', () => {
    let app: TestApp;
    let fx: BookingFixtures;
    let server: CalendarServer;
    let doctor: Actor;
    let patient: Actor;
    /** A Monday at least a week ahead, in the doctor's zone. */
    let monday: DateTime;
    const day = (offset: number, time: string) => {
      const [hour, minute] = time.split(':').map(Number);
      return monday.plus({ days: offset }).set({ hour, minute });
    };
    const iso = (offset: number, time: string) => day(offset, time).toUTC().toISO()!;

    beforeAll(async () => {
      server = await CalendarServer.start();
      app = await TestApp.start({ env: { OUTBOUND_ALLOW_PRIVATE: 'true' } });
      fx = new BookingFixtures(app);
      doctor = await fx.doctor({
        firstName: 'Gregory',
        timezone: ZONE,
        slotDurationMinutes: 60,
        rules: [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
          dayOfWeek,
          startTime: '08:00',
          endTime: '18:00',
        })),
      });
      patient = await createActor(app, UserRole.Patient, {
        firstName: 'Ada',
        lastName: 'Lovelace',
      });
      const start = DateTime.now().setZone(ZONE).plus({ days: 8 }).startOf('day');
      monday = start.plus({ days: (8 - start.weekday) % 7 });
      const weeklyStart = day(-7, '09:00');
      server.body = icsFile(
        ...CENTRAL_EUROPE,
        // Every Monday 09:00-10:00 for four weeks, except the second one ahead.
        'BEGIN:VEVENT',
        'UID:surgery-list@example.test',
        'DTSTAMP:20260101T000000Z',
        `DTSTART:${utcBasic(weeklyStart)}`,
        `DTEND:${utcBasic(weeklyStart.plus({ hours: 1 }))}`,
        'RRULE:FREQ=WEEKLY;COUNT=4',
        `EXDATE:${utcBasic(day(7, '09:00'))}`,
        'SUMMARY:Surgery list',
        'END:VEVENT',
        // Tuesday: a holiday, all day in the doctor's zone.
        'BEGIN:VEVENT',
        'UID:holiday@example.test',
        'DTSTAMP:20260101T000000Z',
        `DTSTART;VALUE=DATE:${day(1, '00:00').toFormat('yyyyMMdd')}`,
        `DTEND;VALUE=DATE:${day(2, '00:00').toFormat('yyyyMMdd')}`,
        'SUMMARY:Holiday',
        'END:VEVENT',
        // Wednesday 17:00 in Berlin (winter, +01:00) is 11:00 in New York.
        'BEGIN:VEVENT',
        'UID:berlin-call@example.test',
        'DTSTAMP:20260101T000000Z',
        `DTSTART;TZID=W. Europe Standard Time:${basic(day(2, '00:00').set({ hour: 17 }))}`,
        `DTEND;TZID=W. Europe Standard Time:${basic(day(2, '00:00').set({ hour: 18 }))}`,
        'SUMMARY:Call with Berlin',
        'END:VEVENT',
        // Thursday: a cancelled meeting and a "free" reminder block nothing.
        'BEGIN:VEVENT',
        'UID:cancelled@example.test',
        'DTSTAMP:20260101T000000Z',
        `DTSTART:${utcBasic(day(3, '10:00'))}`,
        `DTEND:${utcBasic(day(3, '11:00'))}`,
        'STATUS:CANCELLED',
        'SUMMARY:Cancelled board meeting',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:free@example.test',
        'DTSTAMP:20260101T000000Z',
        `DTSTART:${utcBasic(day(3, '11:00'))}`,
        `DTEND:${utcBasic(day(3, '12:00'))}`,
        'TRANSP:TRANSPARENT',
        'SUMMARY:Reminder',
        'END:VEVENT',
      );
    });

    afterAll(async () => {
      await app?.close();
      await server?.close();
    });

    async function startsOf(visitTypeId?: string): Promise<Set<string>> {
      const res = await app.http
        .get(`/api/v1/doctors/${doctor.id}/slots`)
        .query({
          from: monday.toISODate()!,
          to: monday.plus({ days: 14 }).toISODate()!,
          ...(visitTypeId ? { visitTypeId } : {}),
        })
        .expect(200);
      return new Set(
        (res.body.items as { startsAt: string }[]).map((s) => new Date(s.startsAt).toISOString()),
      );
    }

    async function busyCalendars(): Promise<BusyCalendar[]> {
      const res = await app.http
        .get('/api/v1/doctors/me/busy-calendars')
        .set(auth(doctor))
        .expect(200);
      return res.body.items;
    }

    const book = (startsAt: string, visitTypeId?: string) =>
      app.http
        .post('/api/v1/appointments')
        .set(auth(patient))
        .send({ doctorId: doctor.id, startsAt, ...(visitTypeId ? { visitTypeId } : {}) });

    it('blocks the slots of an outside calendar: RRULE without its EXDATE, all-day, VTIMEZONE; not cancelled or free events', async () => {
      const put = await app.http
        .put('/api/v1/doctors/me/busy-calendars')
        .set(auth(doctor))
        .send({ urls: [server.url()] })
        .expect(200);
      expect(put.body.items).toEqual([
        { url: server.url(), lastFetchedAt: null, lastError: null, busyCount: 0 },
      ]);
      const [fetched] = await waitFor(async () => {
        const list = await busyCalendars();
        return list[0]?.lastFetchedAt ? list : null;
      });
      // Three Mondays (a week before, the first and the third; the second is an EXDATE), the
      // holiday, the Berlin call.
      expect(fetched).toMatchObject({ url: server.url(), lastError: null, busyCount: 5 });

      const starts = await startsOf();
      const offered = (offset: number, time: string) => starts.has(iso(offset, time));
      expect(offered(0, '08:00')).toBe(true);
      expect(offered(0, '09:00')).toBe(false);
      expect(offered(0, '10:00')).toBe(true);
      expect(offered(7, '09:00')).toBe(true);
      expect(offered(14, '09:00')).toBe(false);
      expect([...starts].filter((s) => s.startsWith(day(1, '12:00').toUTC().toISODate()!))).toEqual(
        [],
      );
      expect(offered(1, '08:00') || offered(1, '12:00') || offered(1, '17:00')).toBe(false);
      expect(offered(2, '10:00')).toBe(true);
      expect(offered(2, '11:00')).toBe(false);
      expect(offered(2, '12:00')).toBe(true);
      expect(offered(3, '10:00')).toBe(true);
      expect(offered(3, '11:00')).toBe(true);
    });

    it('answers 409 SLOT_TAKEN for a booking or a reschedule onto busy time, 422 off the grid', async () => {
      for (const [offset, time] of [
        [0, '09:00'],
        [1, '10:00'],
        [2, '11:00'],
      ] as const) {
        const res = await book(iso(offset, time)).expect(409);
        expect(res.body.code).toBe('SLOT_TAKEN');
      }
      expect((await book(day(0, '09:30').toUTC().toISO()!).expect(422)).body.code).toBe(
        'NOT_A_SLOT',
      );
      const booked = await book(iso(3, '10:00')).expect(201);
      const moved = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
        .set(auth(patient))
        .send({ startsAt: iso(14, '09:00') })
        .expect(409);
      expect(moved.body.code).toBe('SLOT_TAKEN');
      await app.http
        .post(`/api/v1/appointments/${booked.body.id}/cancel`)
        .set(auth(patient))
        .send({})
        .expect(200);
    });

    it('lets buffers overlap busy time, not the visit', async () => {
      const type = await app.http
        .post('/api/v1/doctors/me/visit-types')
        .set(auth(doctor))
        .send({
          name: 'Dressing change',
          durationMinutes: 30,
          price: { amount: '0.00', currency: 'USD' },
          bufferBeforeMinutes: 30,
          bufferAfterMinutes: 60,
        })
        .expect(201);
      const starts = await startsOf(type.body.id);
      // 08:00-08:30 and the hour after it reach into the surgery list (09:00-10:00), and so do
      // the 30 minutes before 10:00: both are offered; 09:00 itself is not.
      expect(starts.has(iso(0, '08:00'))).toBe(true);
      expect(starts.has(iso(0, '09:00'))).toBe(false);
      expect(starts.has(iso(0, '10:00'))).toBe(true);
      await book(iso(14, '10:00'), type.body.id).expect(201);
      await book(iso(14, '08:00'), type.body.id).expect(201);
    });

    it('keeps the last good busy times when the calendar server answers 500', async () => {
      const [before] = await busyCalendars();
      server.failing = true;
      const requests = server.requests;
      await app.http
        .put('/api/v1/doctors/me/busy-calendars')
        .set(auth(doctor))
        .send({ urls: [server.url()] })
        .expect(200);
      const [failed] = await waitFor(async () => {
        const list = await busyCalendars();
        return list[0]?.lastError ? list : null;
      });
      expect(server.requests).toBeGreaterThan(requests);
      expect(failed).toEqual({
        url: server.url(),
        lastFetchedAt: before.lastFetchedAt,
        lastError: 'the calendar server answered HTTP 500',
        busyCount: 5,
      });
      const starts = await startsOf();
      expect(starts.has(iso(0, '09:00'))).toBe(false);
      expect(starts.has(iso(2, '11:00'))).toBe(false);
      expect((await book(iso(0, '09:00')).expect(409)).body.code).toBe('SLOT_TAKEN');
    });

    it('frees the busy times at once when the URL is removed', async () => {
      await app.http
        .put('/api/v1/doctors/me/busy-calendars')
        .set(auth(doctor))
        .send({ urls: [] })
        .expect(200, { items: [] });
      expect(await busyCalendars()).toEqual([]);
      const starts = await startsOf();
      expect(starts.has(iso(0, '09:00'))).toBe(true);
      expect(starts.has(iso(1, '10:00'))).toBe(true);
      expect(starts.has(iso(2, '11:00'))).toBe(true);
      server.failing = false;
    });

    it('refuses more than 5 URLs, duplicates and other schemes; patients cannot have busy calendars', async () => {
      const put = (urls: unknown) =>
        app.http.put('/api/v1/doctors/me/busy-calendars').set(auth(doctor)).send({ urls });
      const six = [1, 2, 3, 4, 5, 6].map((n) => server.url(`/${n}.ics`));
      expect((await put(six).expect(400)).body.code).toBe('VALIDATION_FAILED');
      await put([server.url(), server.url()]).expect(400);
      await put(['webcal://example.com/cal.ics']).expect(400);
      await put(['file:///etc/passwd']).expect(400);
      await app.http
        .put('/api/v1/doctors/me/busy-calendars')
        .set(auth(patient))
        .send({ urls: [] })
        .expect(403);
    });

    describe('the feed', () => {
      const feedPath = (url: string) => new URL(url).pathname;

      async function feedOf(actor: Actor): Promise<string> {
        const res = await app.http.post('/api/v1/me/calendar-feed').set(auth(actor)).expect(201);
        expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'url']);
        expect(res.body.url).toMatch(
          new RegExp(`^${app.config.publicUrl}/calendar/[A-Za-z0-9_-]{43}\\.ics$`),
        );
        return feedPath(res.body.url);
      }

      it('is RFC 5545 a second parser reads: PRODID, VERSION, UID, DTSTAMP, SEQUENCE, STATUS, no health data', async () => {
        await app.dataSource.query(
          `UPDATE visit_types SET location = 'Riverside Clinic, Room 4' WHERE doctor_id = $1 AND name = 'Consultation'`,
          [doctor.id],
        );
        const kept = await app.http
          .post('/api/v1/appointments')
          .set(auth(patient))
          .send({ doctorId: doctor.id, startsAt: iso(4, '14:00'), reason: 'Knee pain since May' })
          .expect(201);
        const cancelled = await book(iso(4, '15:00')).expect(201);
        await app.http
          .post(`/api/v1/appointments/${cancelled.body.id}/cancel`)
          .set(auth(patient))
          .send({ reason: 'Feeling better, private detail' })
          .expect(200);

        const path = await feedOf(patient);
        const res = await app.http.get(path).expect(200);
        expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
        expect(res.headers.etag).toMatch(/^W\/".+"$/);
        const text = res.text;
        for (const secret of [
          'Knee pain',
          'private detail',
          patient.email,
          doctor.email,
          '@example',
        ]) {
          expect(text).not.toContain(secret);
        }
        // The other parser (node-ical; the app reads calendars with ical.js).
        const parsed = ical.sync.parseICS(text);
        const calendar = parsed.vcalendar as unknown as { prodid?: string; version?: string };
        expect(calendar.prodid).toMatch(/doctor-appointment/);
        expect(calendar.version).toBe('2.0');
        const events = eventsOf(text);
        const raw = text.split('BEGIN:VEVENT').slice(1);
        expect(raw).toHaveLength(events.length);
        for (const block of raw) {
          expect(block).toMatch(/\r\nUID:[^\r\n]+\r\n/);
          expect(block).toMatch(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
          expect(block).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
          expect(block).toMatch(/\r\nDTEND:\d{8}T\d{6}Z\r\n/);
        }
        const host = new URL(app.config.publicUrl).hostname;
        const byId = new Map(events.map((e) => [e.uid, e]));
        for (const event of events) expect(event.dtstamp).toBeInstanceOf(Date);
        const keptEvent = byId.get(`${kept.body.id}@${host}`)!;
        expect(keptEvent).toBeDefined();
        expect(keptEvent.summary).toBe('Consultation with Gregory House');
        expect(keptEvent.location).toBe('Riverside Clinic, Room 4');
        expect(keptEvent.status).toBe('CONFIRMED');
        expect(keptEvent.start.toISOString()).toBe(new Date(iso(4, '14:00')).toISOString());
        expect(keptEvent.end?.toISOString()).toBe(new Date(iso(4, '15:00')).toISOString());
        const cancelledEvent = byId.get(`${cancelled.body.id}@${host}`)!;
        expect(cancelledEvent.status).toBe('CANCELLED');
        expect(Number(cancelledEvent.sequence)).toBeGreaterThan(Number(keptEvent.sequence));

        // The doctor's feed names the patient.
        const doctorFeed = await app.http.get(await feedOf(doctor)).expect(200);
        const doctorEvents = eventsOf(doctorFeed.text);
        expect(doctorEvents.find((e) => e.uid === `${kept.body.id}@${host}`)?.summary).toBe(
          'Consultation with Ada Lovelace',
        );
      });

      it('answers If-None-Match with 304 until something changes; SEQUENCE grows, a reschedule replaces the event', async () => {
        const path = await feedOf(patient);
        const first = await app.http.get(path).expect(200);
        const etag = first.headers.etag as string;
        const again = await app.http.get(path).set('If-None-Match', etag).expect(304);
        expect(again.text ?? '').toBe('');
        expect(again.headers.etag).toBe(etag);

        const booked = await book(iso(5, '09:00')).expect(201);
        const changed = await app.http.get(path).set('If-None-Match', etag).expect(200);
        expect(changed.headers.etag).not.toBe(etag);
        const host = new URL(app.config.publicUrl).hostname;
        const uidOf = (id: string) => `${id}@${host}`;
        const sequenceOf = (text: string, id: string) => {
          const event = eventsOf(text).find((e) => e.uid === uidOf(id));
          return event ? Number(event.sequence) : undefined;
        };
        const before = sequenceOf(changed.text, booked.body.id)!;
        expect(before).toBeGreaterThanOrEqual(1);

        const moved = await app.http
          .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
          .set(auth(patient))
          .send({ startsAt: iso(5, '10:00') })
          .expect(200);
        const after = await app.http.get(path).expect(200);
        expect(sequenceOf(after.text, booked.body.id)).toBeUndefined();
        expect(sequenceOf(after.text, moved.body.id)).toBeGreaterThan(before);

        await app.http
          .post(`/api/v1/appointments/${moved.body.id}/cancel`)
          .set(auth(patient))
          .send({})
          .expect(200);
        const cancelled = await app.http.get(path).expect(200);
        expect(sequenceOf(cancelled.text, moved.body.id)).toBeGreaterThan(
          sequenceOf(after.text, moved.body.id)!,
        );
      });

      it('rotates: the old URL answers 404, and DELETE turns the feed off', async () => {
        const old = await feedOf(patient);
        await app.http.get(old).expect(200);
        const current = await feedOf(patient);
        expect(current).not.toBe(old);
        const gone = await app.http.get(old).expect(404);
        expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(gone.body.code).toBe('NOT_FOUND');
        await app.http.get(current).expect(200);
        await app.http.delete('/api/v1/me/calendar-feed').set(auth(patient)).expect(204);
        await app.http.get(current).expect(404);
        await app.http.get('/calendar/not-a-token.ics').expect(404);
        await app.http.get(`/calendar/${'A'.repeat(43)}.ics`).expect(404);
        await app.http.post('/api/v1/me/calendar-feed').expect(401);
      });
    });
  });

  describe('outbound safety', () => {
    let app: TestApp;
    let server: CalendarServer;

    beforeAll(async () => {
      server = await CalendarServer.start();
      server.body = icsFile();
      app = await TestApp.start({ env: { OUTBOUND_ALLOW_PRIVATE: 'false' } });
    });

    afterAll(async () => {
      await app?.close();
      await server?.close();
    });

    it('refuses loopback, private and link-local targets and names resolving to them, as lastError', async () => {
      const doctor = await new BookingFixtures(app).doctor();
      const urls = [
        server.url(),
        'http://10.0.0.1/calendar.ics',
        'http://169.254.169.254/latest/meta-data/',
        `http://localhost:${server.port}/doctor.ics`,
      ];
      await app.http
        .put('/api/v1/doctors/me/busy-calendars')
        .set(auth(doctor))
        .send({ urls })
        .expect(200);
      const list = await waitFor(async () => {
        const res = await app.http
          .get('/api/v1/doctors/me/busy-calendars')
          .set(auth(doctor))
          .expect(200);
        const items = res.body.items as BusyCalendar[];
        return items.every((item) => item.lastError) ? items : null;
      });
      expect(list.map((item) => [item.lastError, item.lastFetchedAt, item.busyCount])).toEqual([
        ['refused: loopback address 127.0.0.1', null, 0],
        ['refused: private address 10.0.0.1', null, 0],
        ['refused: linkLocal address 169.254.169.254', null, 0],
        [expect.stringMatching(/^refused: localhost resolves to loopback address /), null, 0],
      ]);
      expect(server.requests).toBe(0);
    });
  });
});
