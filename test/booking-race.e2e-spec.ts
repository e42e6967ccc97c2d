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
