import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { SlotService } from '@app/booking';
import { AppointmentStatus, UserRole } from '@app/database';
import {
  Actor,
  createActor,
  createDoctor,
  everyDay,
  insertAppointment,
} from './support/doctor-helpers';
import { TestApp } from './support/test-app';

const HOUR = 3_600_000;
/** Long enough to reach the next daylight-saving change of any zone from today. */
const HORIZON_DAYS = 400;

/** A local date `days` after today in `zone`. */
function localDate(zone: string, days: number): string {
  return DateTime.now().setZone(zone).plus({ days }).toISODate()!;
}

function at(date: string, time: string): Date {
  return new Date(`${date}T${time}:00Z`);
}

describe('Doctor time off and slots', () => {
  let app: TestApp;
  let patient: Actor;

  beforeAll(async () => {
    app = await TestApp.start({
      worker: false,
      env: { BOOKING_HORIZON_DAYS: String(HORIZON_DAYS) },
    });
    patient = await createActor(app, UserRole.Patient);
  });

  afterAll(async () => {
    await app.close();
  });

  async function slots(
    doctorId: string,
    from: string,
    to: string,
  ): Promise<{ startsAt: string; endsAt: string }[]> {
    const res = await app.http
      .get(`/api/v1/doctors/${doctorId}/slots`)
      .query({ from, to })
      .expect(200);
    expect(Object.keys(res.body)).toEqual(['items']);
    // Without visitTypeId: every slot is of the doctor's first (here: only) type.
    const types = await app.http.get(`/api/v1/doctors/${doctorId}/visit-types`).expect(200);
    const items = res.body.items as { startsAt: string; endsAt: string; visitTypeId: string }[];
    for (const item of items) expect(item.visitTypeId).toBe(types.body.items[0].id);
    return items.map(({ startsAt, endsAt }) => ({ startsAt, endsAt }));
  }

  /** Hours (UTC) of the slots of one day, for a UTC doctor with hourly slots. */
  async function hoursOf(doctorId: string, date: string): Promise<number[]> {
    return (await slots(doctorId, date, date)).map((slot) => new Date(slot.startsAt).getUTCHours());
  }

  describe('GET /doctors/:id/slots', () => {
    it('lists a day of slots, sorted, as UTC instants, each one slot long', async () => {
      const doctor = await createDoctor(app, {
        rules: everyDay('09:00', '12:00'),
        slotDurationMinutes: 45,
      });
      const date = localDate('UTC', 3);
      const items = await slots(doctor.id, date, date);
      expect(items).toEqual([
        { startsAt: `${date}T09:00:00.000Z`, endsAt: `${date}T09:45:00.000Z` },
        { startsAt: `${date}T09:45:00.000Z`, endsAt: `${date}T10:30:00.000Z` },
        { startsAt: `${date}T10:30:00.000Z`, endsAt: `${date}T11:15:00.000Z` },
        { startsAt: `${date}T11:15:00.000Z`, endsAt: `${date}T12:00:00.000Z` },
      ]);
    });

    it('reads the dates in the doctor zone', async () => {
      const doctor = await createDoctor(app, {
        timezone: 'Asia/Kolkata',
        rules: everyDay('00:00', '01:00'),
        slotDurationMinutes: 60,
      });
      const date = localDate('Asia/Kolkata', 3);
      // Midnight in Kolkata (+05:30) is 18:30 UTC of the day before.
      const previous = DateTime.fromISO(date).minus({ days: 1 }).toISODate();
      expect(await slots(doctor.id, date, date)).toEqual([
        { startsAt: `${previous}T18:30:00.000Z`, endsAt: `${previous}T19:30:00.000Z` },
      ]);
    });

    it('leaves out booked and held slots, but not cancelled ones', async () => {
      const doctor = await createDoctor(app, {
        rules: everyDay('09:00', '13:00'),
        slotDurationMinutes: 60,
      });
      const date = localDate('UTC', 3);
      await insertAppointment(app, {
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt: at(date, '09:00'),
        minutes: 60,
      });
      await insertAppointment(app, {
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt: at(date, '10:30'),
        minutes: 30,
        status: AppointmentStatus.PendingPayment,
      });
      await insertAppointment(app, {
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt: at(date, '12:00'),
        minutes: 60,
        status: AppointmentStatus.Cancelled,
      });
      expect(await hoursOf(doctor.id, date)).toEqual([11, 12]);
    });

    it('starts after now + minimum notice and stops at the horizon', async () => {
      const doctor = await createDoctor(app, {
        rules: everyDay('00:00', '24:00'),
        slotDurationMinutes: 60,
      });
      const before = Date.now();
      const today = await slots(doctor.id, localDate('UTC', -1), localDate('UTC', 1));
      const notice = app.config.booking.minNoticeMinutes * 60_000;
      expect(Date.parse(today[0].startsAt)).toBeGreaterThanOrEqual(before + notice);
      expect(Date.parse(today[0].startsAt)).toBeLessThan(Date.now() + notice + HOUR);

      const horizonDate = localDate('UTC', HORIZON_DAYS);
      const last = await slots(doctor.id, horizonDate, localDate('UTC', HORIZON_DAYS + 2));
      const horizon = Date.now() + HORIZON_DAYS * 24 * HOUR;
      expect(last.length).toBeGreaterThan(0);
      expect(Date.parse(last[last.length - 1].startsAt)).toBeLessThanOrEqual(horizon);
      expect(Date.parse(last[last.length - 1].startsAt)).toBeGreaterThan(horizon - 2 * HOUR);
    });

    it('takes a range of 31 days and no more', async () => {
      const doctor = await createDoctor(app, {
        rules: [{ dayOfWeek: 1, startTime: '09:00', endTime: '10:00' }],
      });
      const from = localDate('UTC', 2);
      const items = await slots(doctor.id, from, localDate('UTC', 32));
      expect(items.length).toBeGreaterThanOrEqual(8);
      expect(items.map((s) => s.startsAt)).toEqual([...items.map((s) => s.startsAt)].sort());

      const tooLong = await app.http
        .get(`/api/v1/doctors/${doctor.id}/slots`)
        .query({ from, to: localDate('UTC', 33) })
        .expect(400);
      expect(tooLong.body.code).toBe('VALIDATION_FAILED');
      expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
    });

    it.each([
      ['from after to', { from: '2027-03-10', to: '2027-03-09' }, 'to'],
      ['a date that does not exist', { from: '2027-02-30', to: '2027-03-01' }, 'from'],
      ['a date in another format', { from: '03/01/2027', to: '2027-03-01' }, 'from'],
      ['a missing date', { from: '2027-03-01' }, 'to'],
    ])('rejects %s with 400', async (_label, query, field) => {
      const doctor = await createDoctor(app, { rules: everyDay('09:00', '10:00') });
      const res = await app.http.get(`/api/v1/doctors/${doctor.id}/slots`).query(query).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('answers 404 for an unknown, inactive or non-doctor id', async () => {
      const inactive = await createDoctor(app, {
        active: false,
        rules: everyDay('09:00', '10:00'),
      });
      const date = localDate('UTC', 3);
      for (const id of [randomUUID(), inactive.id, patient.id, 'nope']) {
        const res = await app.http
          .get(`/api/v1/doctors/${id}/slots`)
          .query({ from: date, to: date })
          .expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    });

    it('keeps wall-clock hours across the next daylight-saving change in New York', async () => {
      const zone = 'America/New_York';
      const doctor = await createDoctor(app, {
        timezone: zone,
        rules: everyDay('09:00', '10:00'),
        slotDurationMinutes: 30,
      });
      // The clocks change during `change`, after its midnight.
      let change = DateTime.now().setZone(zone).startOf('day').plus({ days: 2 });
      while (change.plus({ days: 1 }).offset === change.offset) change = change.plus({ days: 1 });
      const [before, after] = [change.minus({ days: 1 }), change.plus({ days: 1 })];
      const items = await slots(doctor.id, before.toISODate()!, after.toISODate()!);
      const local = items.map((s) =>
        DateTime.fromISO(s.startsAt, { zone }).toFormat('yyyy-MM-dd HH:mm'),
      );
      expect(local).toEqual(
        [before, change, after].flatMap((d) => [
          `${d.toISODate()} 09:00`,
          `${d.toISODate()} 09:30`,
        ]),
      );
      const utcHours = items.map((s) => new Date(s.startsAt).getUTCHours());
      expect(utcHours[0]).not.toBe(utcHours[2]);

      // A night window around the change: no phantom slot in a skipped hour, no repeat of a doubled one.
      const night = await createDoctor(app, {
        timezone: zone,
        rules: everyDay('01:00', '04:00'),
        slotDurationMinutes: 60,
      });
      const nightItems = await slots(night.id, change.toISODate()!, change.toISODate()!);
      const hours = nightItems.map((s) => DateTime.fromISO(s.startsAt, { zone }).hour);
      const springForward = after.offset > before.offset;
      expect(hours).toEqual(springForward ? [1, 3] : [1, 2, 3]);
      expect(new Set(nightItems.map((s) => s.startsAt)).size).toBe(nightItems.length);
    });
  });

  describe('/doctors/me/time-off', () => {
    it('blocks slots, reports live appointments inside, and frees the slots again when deleted', async () => {
      const doctor = await createDoctor(app, {
        rules: everyDay('09:00', '15:00'),
        slotDurationMinutes: 60,
      });
      const date = localDate('UTC', 4);
      const inside = await insertAppointment(app, {
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt: at(date, '11:00'),
        minutes: 60,
      });
      await insertAppointment(app, {
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt: at(date, '12:00'),
        minutes: 60,
        status: AppointmentStatus.Cancelled,
      });
      await insertAppointment(app, {
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt: at(date, '14:00'),
        minutes: 60,
      });
      expect(await hoursOf(doctor.id, date)).toEqual([9, 10, 12, 13]);

      const created = await app.http
        .post('/api/v1/doctors/me/time-off')
        .set(doctor.auth)
        .send({
          startsAt: `${date}T10:00:00Z`,
          endsAt: `${date}T13:00:00+00:00`,
          reason: 'Conference',
        })
        .expect(201);
      expect(created.body.timeOff).toEqual({
        id: expect.any(String),
        startsAt: `${date}T10:00:00.000Z`,
        endsAt: `${date}T13:00:00.000Z`,
        reason: 'Conference',
        createdAt: expect.any(String),
      });
      const [patientRow] = await app.dataSource.query(
        'SELECT first_name, last_name FROM users WHERE id = $1',
        [patient.id],
      );
      expect(created.body.affectedAppointments).toEqual([
        {
          id: inside.id,
          startsAt: `${date}T11:00:00.000Z`,
          endsAt: `${date}T12:00:00.000Z`,
          status: 'confirmed',
          patient: {
            id: patient.id,
            firstName: patientRow.first_name,
            lastName: patientRow.last_name,
          },
        },
      ]);
      expect(await hoursOf(doctor.id, date)).toEqual([9, 13]);

      const list = await app.http.get('/api/v1/doctors/me/time-off').set(doctor.auth).expect(200);
      expect(list.body).toEqual({ items: [created.body.timeOff] });

      await app.http
        .delete(`/api/v1/doctors/me/time-off/${created.body.timeOff.id}`)
        .set(doctor.auth)
        .expect(204);
      expect(await hoursOf(doctor.id, date)).toEqual([9, 10, 12, 13]);
      const events = await app.dataSource.query(
        `SELECT payload FROM outbox_events WHERE type = 'slot.freed' AND aggregate_id = $1`,
        [doctor.id],
      );
      expect(events.map((e: { payload: unknown }) => e.payload)).toEqual([
        { doctorId: doctor.id, startsAt: `${date}T10:00:00.000Z`, endsAt: `${date}T13:00:00.000Z` },
      ]);
      await app.http
        .delete(`/api/v1/doctors/me/time-off/${created.body.timeOff.id}`)
        .set(doctor.auth)
        .expect(404);
    });

    it('lists current and upcoming time off only, soonest first', async () => {
      const doctor = await createDoctor(app);
      const now = Date.now();
      await app.dataSource.query(
        `INSERT INTO time_off (doctor_id, starts_at, ends_at, reason) VALUES
           ($1, $2, $3, 'past'), ($1, $4, $5, 'current'), ($1, $6, $7, 'later'), ($1, $8, $9, 'soon')`,
        [
          doctor.id,
          new Date(now - 48 * HOUR),
          new Date(now - 24 * HOUR),
          new Date(now - HOUR),
          new Date(now + HOUR),
          new Date(now + 72 * HOUR),
          new Date(now + 96 * HOUR),
          new Date(now + 24 * HOUR),
          new Date(now + 25 * HOUR),
        ],
      );
      const res = await app.http.get('/api/v1/doctors/me/time-off').set(doctor.auth).expect(200);
      expect(res.body.items.map((t: { reason: string }) => t.reason)).toEqual([
        'current',
        'soon',
        'later',
      ]);
    });

    it("answers 404 for another doctor's time off and keeps it", async () => {
      const owner = await createDoctor(app, {
        rules: everyDay('09:00', '12:00'),
        slotDurationMinutes: 60,
      });
      const other = await createDoctor(app);
      const date = localDate('UTC', 5);
      const created = await app.http
        .post('/api/v1/doctors/me/time-off')
        .set(owner.auth)
        .send({ startsAt: `${date}T09:00:00Z`, endsAt: `${date}T10:00:00Z` })
        .expect(201);
      expect(created.body.affectedAppointments).toEqual([]);
      expect(created.body.timeOff.reason).toBeNull();
      const res = await app.http
        .delete(`/api/v1/doctors/me/time-off/${created.body.timeOff.id}`)
        .set(other.auth)
        .expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
      await app.http.delete('/api/v1/doctors/me/time-off/not-a-uuid').set(other.auth).expect(404);
      expect(await hoursOf(owner.id, date)).toEqual([10, 11]);
    });

    it.each([
      [
        'end before start',
        { startsAt: '2099-03-01T10:00:00Z', endsAt: '2099-03-01T09:00:00Z' },
        'endsAt',
      ],
      [
        'end equal to start',
        { startsAt: '2099-03-01T10:00:00Z', endsAt: '2099-03-01T10:00:00Z' },
        'endsAt',
      ],
      [
        'an end in the past',
        { startsAt: '2020-03-01T10:00:00Z', endsAt: '2020-03-01T12:00:00Z' },
        'endsAt',
      ],
      [
        'a time without a zone',
        { startsAt: '2099-03-01T10:00:00', endsAt: '2099-03-01T12:00:00Z' },
        'startsAt',
      ],
      ['a bare date', { startsAt: '2099-03-01', endsAt: '2099-03-02T00:00:00Z' }, 'startsAt'],
      ['not a date', { startsAt: 'soon', endsAt: '2099-03-02T00:00:00Z' }, 'startsAt'],
      ['a missing end', { startsAt: '2099-03-01T10:00:00Z' }, 'endsAt'],
    ])('rejects %s with 400', async (_label, body, field) => {
      const doctor = await createDoctor(app);
      const res = await app.http
        .post('/api/v1/doctors/me/time-off')
        .set(doctor.auth)
        .send(body)
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('is for doctors only', async () => {
      const body = { startsAt: '2099-03-01T10:00:00Z', endsAt: '2099-03-01T12:00:00Z' };
      const res = await app.http
        .post('/api/v1/doctors/me/time-off')
        .set(patient.auth)
        .send(body)
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await app.http.get('/api/v1/doctors/me/time-off').set(patient.auth).expect(403);
      await app.http
        .delete(`/api/v1/doctors/me/time-off/${randomUUID()}`)
        .set(patient.auth)
        .expect(403);
      await app.http.get('/api/v1/doctors/me/time-off').expect(401);
    });
  });

  describe(SlotService.name, () => {
    it('finds a bookable slot by its start: rules, grid, time off and notice apply, appointments do not', async () => {
      const service = app.get(SlotService);
      const doctor = await createDoctor(app, {
        rules: everyDay('09:00', '12:00'),
        slotDurationMinutes: 60,
      });
      const date = localDate('UTC', 6);
      await insertAppointment(app, {
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt: at(date, '09:00'),
        minutes: 60,
      });
      await app.dataSource.query(
        `INSERT INTO time_off (doctor_id, starts_at, ends_at) VALUES ($1, $2, $3)`,
        [doctor.id, at(date, '11:00'), at(date, '12:00')],
      );

      const profile = await service.getDoctorForBooking(doctor.id);
      const type = await service.visitTypeForBooking(doctor.id);
      const bookable = (startsAt: Date) => service.findBookableSlot(profile, type, startsAt);
      expect(await bookable(at(date, '09:00'))).toEqual({
        start: at(date, '09:00'),
        end: at(date, '10:00'),
      });
      expect(await bookable(at(date, '10:00'))).not.toBeNull();
      expect(await bookable(at(date, '10:30'))).toBeNull();
      expect(await bookable(at(date, '11:00'))).toBeNull();
      expect(await bookable(at(date, '12:00'))).toBeNull();
      expect(await bookable(new Date(Date.now() - HOUR))).toBeNull();
      await expect(service.getDoctorForBooking(randomUUID())).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('gives the next available start of a whole page of doctors at once', async () => {
      const service = app.get(SlotService);
      const open = await createDoctor(app, {
        rules: everyDay('00:00', '24:00'),
        slotDurationMinutes: 60,
      });
      const closed = await createDoctor(app);
      const profiles = await Promise.all(
        [open.id, closed.id].map((id) => service.getDoctorForBooking(id)),
      );
      const next = await service.nextAvailableAt(
        profiles,
        await service.activeVisitTypes([open.id, closed.id]),
      );
      expect(next.get(closed.id)).toBeNull();
      const start = next.get(open.id)!;
      expect(start.getTime() % HOUR).toBe(0);
      expect(start.getTime()).toBeGreaterThanOrEqual(
        Date.now() + app.config.booking.minNoticeMinutes * 60_000 - HOUR,
      );
    });
  });
});
