import { AppointmentStatus } from '@app/database';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { TestApp } from './support/test-app';

/** A double booking must be impossible, not unlikely: the database decides. */
describe('Booking under contention', () => {
  let app: TestApp;
  let fixtures: BookingFixtures;

  beforeAll(async () => {
    app = await TestApp.start({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    fixtures = new BookingFixtures(app);
  });

  afterAll(async () => {
    await app.close();
  });

  async function liveRows(doctorId: string): Promise<{ id: string; starts_at: Date }[]> {
    return app.dataSource.query(
      `SELECT id, starts_at FROM appointments WHERE doctor_id = $1 AND status IN ('pending_payment', 'confirmed')`,
      [doctorId],
    );
  }

  it('lets exactly one of 100 patients posting the same slot at once win', async () => {
    const doctor = await fixtures.doctor({ feeMinor: 4500 });
    const patients: Actor[] = [];
    for (let i = 0; i < 100; i += 1) patients.push(await fixtures.patient());
    const startsAt = slotAt(30);

    const responses = await Promise.all(
      patients.map((p) =>
        app.http
          .post('/api/v1/appointments')
          .set('Authorization', `Bearer ${p.token}`)
          .send({ doctorId: doctor.id, startsAt }),
      ),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
    for (const r of responses.filter((x) => x.status === 409))
      expect(r.body.code).toBe('SLOT_TAKEN');
    const winner = responses.find((r) => r.status === 201)!;
    expect(winner.body.status).toBe(AppointmentStatus.PendingPayment);
    expect(await liveRows(doctor.id)).toHaveLength(1);
  });

  it('lets exactly one of 100 patients win when two starts do not overlap but their buffers do', async () => {
    const doctor = await fixtures.doctor({ feeMinor: 4500 });
    // A 30-minute visit with 30 minutes kept free after it, on the doctor's 30-minute grid.
    const type = await app.http
      .post('/api/v1/doctors/me/visit-types')
      .set('Authorization', `Bearer ${doctor.token}`)
      .send({
        name: 'With notes',
        durationMinutes: 30,
        price: { amount: '45.00', currency: 'USD' },
        bufferAfterMinutes: 30,
      })
      .expect(201);
    const patients: Actor[] = [];
    for (let i = 0; i < 100; i += 1) patients.push(await fixtures.patient());
    const early = slotAt(30);
    const late = new Date(Date.parse(early) + 30 * 60_000).toISOString();
    // [early, early + 30) and [late, late + 30) touch; early's buffer [late, late + 30) does not.
    const starts = [early, late];

    const responses = await Promise.all(
      patients.map((p, i) =>
        app.http
          .post('/api/v1/appointments')
          .set('Authorization', `Bearer ${p.token}`)
          .send({ doctorId: doctor.id, startsAt: starts[i % 2], visitTypeId: type.body.id }),
      ),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    for (const r of responses.filter((x) => x.status === 409))
      expect(r.body.code).toBe('SLOT_TAKEN');
    const winner = responses.find((r) => r.status === 201)!;
    expect(winner.body).toMatchObject({ status: 'pending_payment', visitTypeId: type.body.id });
    const live = await app.dataSource.query(
      `SELECT id, starts_at, blocked_from, blocked_to FROM appointments
        WHERE doctor_id = $1 AND status IN ('pending_approval', 'pending_payment', 'confirmed')`,
      [doctor.id],
    );
    expect(live).toHaveLength(1);
    expect(live[0].id).toBe(winner.body.id);
    expect(live[0].blocked_to.getTime() - live[0].starts_at.getTime()).toBe(60 * 60_000);
  });

  it('has the database refuse overlapping blocked ranges whose visits do not overlap', async () => {
    const doctor = await fixtures.doctor();
    const [a, b] = [await fixtures.patient(), await fixtures.patient()];
    const t = Date.parse(slotAt(60));
    const iso = (minutes: number) => new Date(t + minutes * 60_000).toISOString();
    const insert = (patientId: string, from: number, start: number, end: number, to: number) =>
      app.dataSource.query(
        `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, blocked_from, blocked_to,
                                   status, fee_minor, currency)
         VALUES ($1, $2, $3, $4, $5, $6, 'confirmed', 0, 'USD')`,
        [doctor.id, patientId, iso(start), iso(end), iso(from), iso(to)],
      );
    // Visit 0–30 blocking to 45; visit 30–60 blocking from 30: the buffers overlap.
    await insert(a.id, 0, 0, 30, 45);
    await expect(insert(b.id, 30, 30, 60, 60)).rejects.toMatchObject({
      code: '23P01',
      constraint: 'appointments_doctor_no_overlap',
    });
    // Touching blocked ranges are fine.
    await insert(b.id, 45, 50, 60, 60);
  });

  it('never lets a booking racing new time off land inside it unreported', async () => {
    const rounds = 6;
    const slotsPerRound = 12;
    for (let round = 0; round < rounds; round += 1) {
      const doctor = await fixtures.doctor();
      const patients: Actor[] = [];
      for (let i = 0; i < slotsPerRound; i += 1) patients.push(await fixtures.patient());
      const from = slotAt(30);
      const to = new Date(new Date(from).getTime() + slotsPerRound * 30 * 60_000).toISOString();
      const bookAt = (p: Actor, i: number) =>
        app.http
          .post('/api/v1/appointments')
          .set('Authorization', `Bearer ${p.token}`)
          .send({
            doctorId: doctor.id,
            startsAt: new Date(new Date(from).getTime() + i * 30 * 60_000).toISOString(),
          });

      // The time off goes out amid the bookings: all at once in even rounds, spread over
      // 150 ms in odd ones (so some bookings come clearly after it).
      const spreadMs = round % 2 === 0 ? 0 : 150;
      const later = <T>(ms: number, send: () => PromiseLike<T>) =>
        new Promise((resolve) => setTimeout(resolve, ms)).then(send);
      const booking = (i: number) =>
        later((i * spreadMs) / slotsPerRound, () => bookAt(patients[i]!, i));
      const half = slotsPerRound / 2;
      const first = Array.from({ length: half }, (_, i) => booking(i));
      const timeOffSent = later(spreadMs / 2, () =>
        app.http
          .post('/api/v1/doctors/me/time-off')
          .set('Authorization', `Bearer ${doctor.token}`)
          .send({ startsAt: from, endsAt: to, reason: 'Conference' }),
      );
      const second = Array.from({ length: half }, (_, i) => booking(half + i));
      const [timeOff, bookings] = await Promise.all([
        timeOffSent,
        Promise.all([...first, ...second]),
      ]);

      expect(timeOff.status).toBe(201);
      const reported = new Set(timeOff.body.affectedAppointments.map((a: { id: string }) => a.id));
      for (const res of bookings) {
        if (res.status === 201) expect(reported).toContain(res.body.id);
        else expect([res.status, res.body.code]).toEqual([422, 'NOT_A_SLOT']);
      }
      const live = await liveRows(doctor.id);
      expect(live.map((r) => r.id).filter((id) => !reported.has(id))).toEqual([]);
    }
  });

  it('lets exactly one of two overlapping reschedules into the same slot win', async () => {
    const doctor = await fixtures.doctor();
    const [a, b] = [await fixtures.patient(), await fixtures.patient()];
    const bookA = await app.http
      .post('/api/v1/appointments')
      .set('Authorization', `Bearer ${a.token}`)
      .send({ doctorId: doctor.id, startsAt: slotAt(40) })
      .expect(201);
    const bookB = await app.http
      .post('/api/v1/appointments')
      .set('Authorization', `Bearer ${b.token}`)
      .send({ doctorId: doctor.id, startsAt: slotAt(41) })
      .expect(201);
    const target = slotAt(45);

    const [ra, rb] = await Promise.all([
      app.http
        .post(`/api/v1/appointments/${bookA.body.id}/reschedule`)
        .set('Authorization', `Bearer ${a.token}`)
        .send({ startsAt: target }),
      app.http
        .post(`/api/v1/appointments/${bookB.body.id}/reschedule`)
        .set('Authorization', `Bearer ${b.token}`)
        .send({ startsAt: target }),
    ]);

    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect(loser.body.code).toBe('SLOT_TAKEN');
    const rows = await liveRows(doctor.id);
    expect(rows).toHaveLength(2);
    // The loser keeps its original slot; the winner now sits on the target.
    const starts = rows.map((r) => new Date(r.starts_at).toISOString()).sort();
    expect(starts).toContain(target);
    const loserOriginal = ra.status === 409 ? bookA.body.startsAt : bookB.body.startsAt;
    expect(starts).toContain(loserOriginal);
  });
});
