import { createHash, randomUUID } from 'node:crypto';
import { AppointmentStatus } from '@app/database';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { TestApp } from './support/test-app';

describe('Appointments', () => {
  let app: TestApp;
  let fx: BookingFixtures;
  let doctor: Actor;
  let freeDoctor: Actor;
  let otherDoctor: Actor;
  let patient: Actor;
  let otherPatient: Actor;
  let admin: Actor;

  const auth = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const book = (
    actor: Actor,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    app.http
      .post('/api/v1/appointments')
      .set({ ...auth(actor), ...headers })
      .send(body);

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
    fx = new BookingFixtures(app);
    doctor = await fx.doctor({ feeMinor: 4500 });
    freeDoctor = await fx.doctor({ feeMinor: 0 });
    otherDoctor = await fx.doctor({ feeMinor: 1000 });
    patient = await fx.patient();
    otherPatient = await fx.patient();
    admin = await fx.admin();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('booking', () => {
    it('holds a paid slot as pending_payment with a hold deadline and the fee snapshot', async () => {
      const startsAt = slotAt(26);
      const res = await book(patient, {
        doctorId: doctor.id,
        startsAt,
        reason: 'Back pain',
      }).expect(201);
      expect(res.body).toMatchObject({
        doctorId: doctor.id,
        patientId: patient.id,
        startsAt,
        status: 'pending_payment',
        reason: 'Back pain',
        fee: { amount: '45.00', currency: 'USD' },
        cancelledAt: null,
        rescheduledFromId: null,
        doctor: { id: doctor.id, firstName: 'Dana', lastName: 'House' },
        patient: { id: patient.id },
      });
      expect(new Date(res.body.endsAt).getTime() - new Date(startsAt).getTime()).toBe(30 * 60_000);
      const holdMs = new Date(res.body.holdExpiresAt).getTime() - Date.now();
      expect(holdMs).toBeGreaterThan(14 * 60_000);
      expect(holdMs).toBeLessThanOrEqual(15 * 60_000);
      const history = await app.dataSource.query(
        'SELECT from_status, to_status, actor_id FROM appointment_status_history WHERE appointment_id = $1',
        [res.body.id],
      );
      expect(history).toEqual([
        { from_status: null, to_status: 'pending_payment', actor_id: patient.id },
      ]);
    });

    it('confirms a zero-fee booking at once', async () => {
      const res = await book(patient, { doctorId: freeDoctor.id, startsAt: slotAt(27) }).expect(
        201,
      );
      expect(res.body.status).toBe('confirmed');
      expect(res.body.holdExpiresAt).toBeNull();
      expect(res.body.fee).toEqual({ amount: '0.00', currency: 'USD' });
    });

    it('refuses a slot someone holds with 409 SLOT_TAKEN', async () => {
      const startsAt = slotAt(28);
      await book(patient, { doctorId: doctor.id, startsAt }).expect(201);
      const res = await book(otherPatient, { doctorId: doctor.id, startsAt }).expect(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('SLOT_TAKEN');
    });

    it('refuses a patient two overlapping appointments with 409 PATIENT_BUSY', async () => {
      const startsAt = slotAt(29);
      await book(patient, { doctorId: doctor.id, startsAt }).expect(201);
      const res = await book(patient, { doctorId: otherDoctor.id, startsAt }).expect(409);
      expect(res.body.code).toBe('PATIENT_BUSY');
    });

    it.each([
      ['off the grid', () => slotAt(30, 10)],
      ['in the past', () => slotAt(-2)],
      ['within the minimum notice', () => slotAt(0)],
      ['beyond the horizon', () => slotAt(24 * 91)],
    ])('answers 422 NOT_A_SLOT for a time %s', async (_label, at) => {
      const res = await book(patient, { doctorId: doctor.id, startsAt: at() }).expect(422);
      expect(res.body.code).toBe('NOT_A_SLOT');
    });

    it('answers 422 NOT_A_SLOT outside the weekly hours', async () => {
      const mornings = await fx.doctor({
        rules: [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
          dayOfWeek,
          startTime: '09:00',
          endTime: '12:00',
        })),
      });
      const d = new Date(Date.now() + 3 * 24 * 3600_000);
      d.setUTCHours(15, 0, 0, 0);
      const someone = await fx.patient();
      const res = await book(someone, { doctorId: mornings.id, startsAt: d.toISOString() }).expect(
        422,
      );
      expect(res.body.code).toBe('NOT_A_SLOT');
      d.setUTCHours(9, 0, 0, 0);
      await book(someone, { doctorId: mornings.id, startsAt: d.toISOString() }).expect(201);
    });

    it('answers 404 for an unknown doctor and 400 for bad bodies', async () => {
      expect((await book(patient, { doctorId: randomUUID(), startsAt: slotAt(31) })).status).toBe(
        404,
      );
      const bad = await book(patient, {
        doctorId: 'nope',
        startsAt: 'tomorrow',
        status: 'confirmed',
      }).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const fields = bad.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['doctorId', 'startsAt', 'status']));
    });

    it('lets only patients book', async () => {
      expect((await book(doctor, { doctorId: doctor.id, startsAt: slotAt(32) })).status).toBe(403);
      expect((await book(admin, { doctorId: doctor.id, startsAt: slotAt(32) })).status).toBe(403);
      const anon = await app.http
        .post('/api/v1/appointments')
        .send({ doctorId: doctor.id, startsAt: slotAt(32) });
      expect(anon.status).toBe(401);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and body, and books once', async () => {
      const key = randomUUID();
      const body = { doctorId: doctor.id, startsAt: slotAt(33) };
      const first = await book(patient, body, { 'Idempotency-Key': key }).expect(201);
      const again = await book(patient, body, { 'Idempotency-Key': key }).expect(201);
      expect(again.body).toEqual(first.body);
      const [{ count }] = await app.dataSource.query(
        'SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1 AND starts_at = $2',
        [patient.id, body.startsAt],
      );
      expect(count).toBe(1);
    });

    it('replays a 4xx answer too', async () => {
      const key = randomUUID();
      const body = { doctorId: doctor.id, startsAt: slotAt(34, 10) };
      const first = await book(patient, body, { 'Idempotency-Key': key }).expect(422);
      const again = await book(patient, body, { 'Idempotency-Key': key }).expect(422);
      expect(again.body.code).toBe(first.body.code);
    });

    it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const key = randomUUID();
      await book(
        patient,
        { doctorId: doctor.id, startsAt: slotAt(35) },
        { 'Idempotency-Key': key },
      ).expect(201);
      const res = await book(
        patient,
        { doctorId: doctor.id, startsAt: slotAt(36) },
        { 'Idempotency-Key': key },
      ).expect(422);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('scopes keys to the user', async () => {
      const key = randomUUID();
      await book(
        patient,
        { doctorId: doctor.id, startsAt: slotAt(37) },
        { 'Idempotency-Key': key },
      ).expect(201);
      await book(
        otherPatient,
        { doctorId: doctor.id, startsAt: slotAt(38) },
        { 'Idempotency-Key': key },
      ).expect(201);
    });

    it('makes concurrent duplicates produce one appointment', async () => {
      const key = randomUUID();
      const body = { doctorId: doctor.id, startsAt: slotAt(39) };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => book(otherPatient, body, { 'Idempotency-Key': key })),
      );
      for (const r of results) expect([201, 409]).toContain(r.status);
      for (const r of results.filter((x) => x.status === 409))
        expect(r.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      const [{ count }] = await app.dataSource.query(
        'SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1 AND starts_at = $2',
        [otherPatient.id, body.startsAt],
      );
      expect(count).toBe(1);
    });

    describe('claim lease', () => {
      /** An in_progress claim as a first request leaves it behind, e.g. when its process died. */
      const leaveClaim = async (
        actor: Actor,
        key: string,
        body: Record<string, unknown>,
        leaseLeft: string,
      ) => {
        // Hashed as the interceptor does: method, path and JSON body.
        const requestHash = createHash('sha256')
          .update(`POST /api/v1/appointments\n${JSON.stringify(body)}`)
          .digest('hex');
        await app.dataSource.query(
          `INSERT INTO idempotency_keys (user_id, key, request_hash, state, created_at, locked_until, expires_at)
           VALUES ($1, $2, $3, 'in_progress', now() - interval '5 minutes', now() + $4::interval,
             now() + interval '23 hours')`,
          [actor.id, key, requestHash, leaseLeft],
        );
      };
      const bookedCount = async (actor: Actor, startsAt: string): Promise<number> => {
        const [{ count }] = await app.dataSource.query(
          'SELECT count(*)::int AS count FROM appointments WHERE patient_id = $1 AND starts_at = $2',
          [actor.id, startsAt],
        );
        return count as number;
      };

      it('lets a retry take over a claim whose lease has lapsed, then replays its answer', async () => {
        const key = randomUUID();
        const body = { doctorId: doctor.id, startsAt: slotAt(40) };
        await leaveClaim(patient, key, body, '-1 minute');

        const first = await book(patient, body, { 'Idempotency-Key': key }).expect(201);
        const again = await book(patient, body, { 'Idempotency-Key': key }).expect(201);

        expect(again.body).toEqual(first.body);
        expect(await bookedCount(patient, body.startsAt)).toBe(1);
      });

      it('still answers 409 IDEMPOTENCY_IN_PROGRESS while the lease runs', async () => {
        const key = randomUUID();
        const body = { doctorId: doctor.id, startsAt: slotAt(41) };
        await leaveClaim(patient, key, body, '30 seconds');

        const res = await book(patient, body, { 'Idempotency-Key': key }).expect(409);

        expect(res.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
        expect(await bookedCount(patient, body.startsAt)).toBe(0);
      });

      it('refuses another body on a lapsed claim: 422 IDEMPOTENCY_KEY_REUSED', async () => {
        const key = randomUUID();
        await leaveClaim(patient, key, { doctorId: doctor.id, startsAt: slotAt(42) }, '-1 minute');

        const res = await book(
          patient,
          { doctorId: doctor.id, startsAt: slotAt(43) },
          { 'Idempotency-Key': key },
        ).expect(422);

        expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await bookedCount(patient, slotAt(43))).toBe(0);
      });

      it('lets only one of concurrent retries take over a lapsed claim', async () => {
        const key = randomUUID();
        const body = { doctorId: doctor.id, startsAt: slotAt(44) };
        await leaveClaim(otherPatient, key, body, '-1 minute');

        const results = await Promise.all(
          Array.from({ length: 5 }, () => book(otherPatient, body, { 'Idempotency-Key': key })),
        );

        expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
        for (const r of results.filter((x) => x.status !== 201)) {
          expect(r.status).toBe(409);
          expect(r.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
        }
        expect(await bookedCount(otherPatient, body.startsAt)).toBe(1);
      });
    });
  });

  describe('visibility', () => {
    let appointmentId: string;

    beforeAll(async () => {
      const res = await book(patient, { doctorId: doctor.id, startsAt: slotAt(50) }).expect(201);
      appointmentId = res.body.id;
    });

    it.each([
      ['its patient', () => patient, 200],
      ['its doctor', () => doctor, 200],
      ['an admin', () => admin, 200],
      ['another patient', () => otherPatient, 404],
      ['another doctor', () => otherDoctor, 404],
    ])('GET by %s → %i', async (_label, who, status) => {
      const res = await app.http.get(`/api/v1/appointments/${appointmentId}`).set(auth(who()));
      expect(res.status).toBe(status);
      if (status === 404) expect(res.body.code).toBe('NOT_FOUND');
    });

    it.each([
      ['another patient cancels', () => otherPatient, 'cancel', {}],
      ['another doctor cancels', () => otherDoctor, 'cancel', {}],
      ['another patient reschedules', () => otherPatient, 'reschedule', { startsAt: slotAt(51) }],
      ['another doctor completes', () => otherDoctor, 'complete', {}],
      ['another doctor marks no-show', () => otherDoctor, 'no-show', {}],
    ])('%s → 404 and nothing changes', async (_label, who, action, body) => {
      const res = await app.http
        .post(`/api/v1/appointments/${appointmentId}/${action}`)
        .set(auth(who()))
        .send(body);
      expect(res.status).toBe(404);
      const [row] = await app.dataSource.query('SELECT status FROM appointments WHERE id = $1', [
        appointmentId,
      ]);
      expect(row.status).toBe('pending_payment');
    });

    it('answers 404 for malformed and unknown ids alike', async () => {
      await app.http.get('/api/v1/appointments/not-a-uuid').set(auth(patient)).expect(404);
      await app.http.get(`/api/v1/appointments/${randomUUID()}`).set(auth(patient)).expect(404);
    });

    it('lists each caller only their own, with filters and pagination', async () => {
      const mine = await app.http
        .get('/api/v1/appointments?limit=100')
        .set(auth(patient))
        .expect(200);
      expect(mine.body).toMatchObject({ page: 1, limit: 100 });
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((a: { patientId: string }) => a.patientId === patient.id)).toBe(
        true,
      );
      const doc = await app.http
        .get('/api/v1/appointments?limit=100')
        .set(auth(otherDoctor))
        .expect(200);
      expect(doc.body.items.every((a: { doctorId: string }) => a.doctorId === otherDoctor.id)).toBe(
        true,
      );
      const all = await app.http.get('/api/v1/appointments?limit=1').set(auth(admin)).expect(200);
      expect(all.body.total).toBeGreaterThan(mine.body.total);
      expect(all.body.items).toHaveLength(1);
      const confirmed = await app.http
        .get('/api/v1/appointments?status=confirmed')
        .set(auth(patient))
        .expect(200);
      expect(confirmed.body.items.every((a: { status: string }) => a.status === 'confirmed')).toBe(
        true,
      );
      const from = slotAt(49);
      const to = slotAt(51);
      const ranged = await app.http
        .get(`/api/v1/appointments?from=${from}&to=${to}`)
        .set(auth(patient))
        .expect(200);
      expect(ranged.body.items.map((a: { id: string }) => a.id)).toEqual([appointmentId]);
      await app.http.get('/api/v1/appointments?limit=500').set(auth(patient)).expect(400);
      await app.http.get('/api/v1/appointments?status=booked').set(auth(patient)).expect(400);
    });

    it('writes an audit row for reads and denied attempts, readable by admins only', async () => {
      await app.http
        .get(`/api/v1/appointments/${appointmentId}`)
        .set(auth(otherPatient))
        .expect(404);
      const res = await app.http
        .get(`/api/v1/admin/audit?resourceId=${appointmentId}&limit=100`)
        .set(auth(admin))
        .expect(200);
      const outcomes = res.body.items.map(
        (r: { actorId: string; outcome: string; action: string }) => `${r.action}:${r.outcome}`,
      );
      expect(outcomes).toEqual(
        expect.arrayContaining(['appointment.read:allowed', 'appointment.read:denied']),
      );
      expect(res.body.items[0]).toMatchObject({
        resourceType: 'appointment',
        resourceId: appointmentId,
      });
      expect(res.body.items[0].requestId).toBeTruthy();
      await app.http.get('/api/v1/admin/audit').set(auth(patient)).expect(403);
    });
  });

  describe('cancel', () => {
    it('cancels, records who and why, frees the slot, and refuses a second cancel', async () => {
      const startsAt = slotAt(60);
      const booked = await book(patient, { doctorId: doctor.id, startsAt }).expect(201);
      const res = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/cancel`)
        .set(auth(patient))
        .send({ reason: 'Feeling better' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'cancelled',
        cancelledBy: patient.id,
        cancellationReason: 'Feeling better',
      });
      expect(res.body.cancelledAt).toBeTruthy();
      const again = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/cancel`)
        .set(auth(patient))
        .send({})
        .expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
      await book(otherPatient, { doctorId: doctor.id, startsAt }).expect(201);
      const events = await app.dataSource.query(
        "SELECT type FROM outbox_events WHERE aggregate_id = $1 OR (type = 'slot.freed' AND payload->>'startsAt' = $2)",
        [booked.body.id, startsAt],
      );
      expect(events.map((e: { type: string }) => e.type)).toEqual(
        expect.arrayContaining(['appointment.booked', 'appointment.cancelled', 'slot.freed']),
      );
    });

    it('lets the doctor and an admin cancel too', async () => {
      const a = await book(patient, { doctorId: doctor.id, startsAt: slotAt(61) }).expect(201);
      await app.http
        .post(`/api/v1/appointments/${a.body.id}/cancel`)
        .set(auth(doctor))
        .send({})
        .expect(200);
      const b = await book(patient, { doctorId: doctor.id, startsAt: slotAt(62) }).expect(201);
      const res = await app.http
        .post(`/api/v1/appointments/${b.body.id}/cancel`)
        .set(auth(admin))
        .send({})
        .expect(200);
      expect(res.body.cancelledBy).toBe(admin.id);
    });
  });

  describe('reschedule', () => {
    it('creates a new appointment in the old one’s state and closes the old one', async () => {
      const booked = await book(patient, { doctorId: doctor.id, startsAt: slotAt(70) }).expect(201);
      const target = slotAt(71);
      const res = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
        .set(auth(patient))
        .send({ startsAt: target })
        .expect(200);
      expect(res.body.id).not.toBe(booked.body.id);
      expect(res.body).toMatchObject({
        startsAt: target,
        status: 'pending_payment',
        rescheduledFromId: booked.body.id,
      });
      expect(res.body.holdExpiresAt).toBe(booked.body.holdExpiresAt);
      const old = await app.http
        .get(`/api/v1/appointments/${booked.body.id}`)
        .set(auth(patient))
        .expect(200);
      expect(old.body.status).toBe('rescheduled');
      // The old slot is free again.
      await book(otherPatient, { doctorId: doctor.id, startsAt: booked.body.startsAt }).expect(201);
    });

    it('lets the doctor reschedule, onto a slot overlapping its own old time', async () => {
      const booked = await book(patient, { doctorId: freeDoctor.id, startsAt: slotAt(72) }).expect(
        201,
      );
      const shifted = new Date(
        new Date(booked.body.startsAt).getTime() + 30 * 60_000,
      ).toISOString();
      const res = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
        .set(auth(freeDoctor))
        .send({ startsAt: shifted })
        .expect(200);
      expect(res.body.status).toBe('confirmed');
    });

    it('changes nothing when the new slot is taken', async () => {
      const mine = await book(patient, { doctorId: doctor.id, startsAt: slotAt(73) }).expect(201);
      const theirs = await book(otherPatient, { doctorId: doctor.id, startsAt: slotAt(74) }).expect(
        201,
      );
      const res = await app.http
        .post(`/api/v1/appointments/${mine.body.id}/reschedule`)
        .set(auth(patient))
        .send({ startsAt: theirs.body.startsAt })
        .expect(409);
      expect(res.body.code).toBe('SLOT_TAKEN');
      const still = await app.http
        .get(`/api/v1/appointments/${mine.body.id}`)
        .set(auth(patient))
        .expect(200);
      expect(still.body).toMatchObject({ status: 'pending_payment', startsAt: mine.body.startsAt });
      const [{ count }] = await app.dataSource.query(
        'SELECT count(*)::int AS count FROM appointments WHERE rescheduled_from_id = $1',
        [mine.body.id],
      );
      expect(count).toBe(0);
    });

    it('refuses admins (403), off-grid targets (422) and final appointments (409)', async () => {
      const booked = await book(patient, { doctorId: doctor.id, startsAt: slotAt(75) }).expect(201);
      await app.http
        .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
        .set(auth(admin))
        .send({ startsAt: slotAt(76) })
        .expect(403);
      const off = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
        .set(auth(patient))
        .send({ startsAt: slotAt(76, 7) })
        .expect(422);
      expect(off.body.code).toBe('NOT_A_SLOT');
      await app.http
        .post(`/api/v1/appointments/${booked.body.id}/cancel`)
        .set(auth(patient))
        .send({})
        .expect(200);
      const final = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
        .set(auth(patient))
        .send({ startsAt: slotAt(76) })
        .expect(409);
      expect(final.body.code).toBe('INVALID_TRANSITION');
    });
  });

  describe('once the appointment has started', () => {
    let clinic: Actor;
    let hoursBack = 0;

    /** A confirmed appointment of a fresh patient that started (by default an hour or more ago). */
    async function started(minutesAgo?: number): Promise<{ id: string; owner: Actor }> {
      hoursBack += 1;
      const owner = await fx.patient();
      const [row] = await app.dataSource.query(
        `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, status, fee_minor, currency)
         VALUES ($1, $2, now() - make_interval(mins => $3), now() - make_interval(mins => $3) + interval '30 minutes', 'confirmed', 4500, 'USD')
         RETURNING id`,
        [clinic.id, owner.id, minutesAgo ?? hoursBack * 60],
      );
      return { id: row.id, owner };
    }

    const act = (who: Actor, id: string, action: 'cancel' | 'reschedule', body = {}) =>
      app.http.post(`/api/v1/appointments/${id}/${action}`).set(auth(who)).send(body);

    async function statusOf(id: string): Promise<string> {
      const [row] = await app.dataSource.query('SELECT status FROM appointments WHERE id = $1', [
        id,
      ]);
      return row.status;
    }

    beforeAll(async () => {
      clinic = await fx.doctor({ feeMinor: 4500 });
    });

    it.each([
      ['its patient', (owner: Actor) => owner],
      ['its doctor', () => clinic],
    ])('refuses a reschedule by %s with 409 TOO_LATE_TO_CHANGE', async (_label, who) => {
      const { id, owner } = await started();
      const res = await act(who(owner), id, 'reschedule', {
        startsAt: slotAt(90 + hoursBack),
      }).expect(409);
      expect(res.body.code).toBe('TOO_LATE_TO_CHANGE');
      expect(await statusOf(id)).toBe('confirmed');
      const [{ count }] = await app.dataSource.query(
        'SELECT count(*)::int AS count FROM appointments WHERE rescheduled_from_id = $1',
        [id],
      );
      expect(count).toBe(0);
    });

    it('refuses the patient’s cancel from the start on with 409 TOO_LATE_TO_CHANGE', async () => {
      const { id, owner } = await started(0);
      const res = await act(owner, id, 'cancel').expect(409);
      expect(res.body.code).toBe('TOO_LATE_TO_CHANGE');
      expect(await statusOf(id)).toBe('confirmed');
    });

    it.each([
      ['its doctor', () => clinic],
      ['an admin', () => admin],
    ])('still lets %s cancel', async (_label, who) => {
      const { id } = await started();
      const res = await act(who(), id, 'cancel').expect(200);
      expect(res.body.status).toBe('cancelled');
    });
  });

  describe('complete and no-show', () => {
    let daysBack = 0;
    async function startedAppointment(status = AppointmentStatus.Confirmed): Promise<string> {
      daysBack += 1;
      const [row] = await app.dataSource.query(
        `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, status, fee_minor, currency)
         VALUES ($1, $2, now() - make_interval(days => $4), now() - make_interval(days => $4) + interval '30 minutes', $3, 0, 'USD')
         RETURNING id`,
        [freeDoctor.id, patient.id, status, daysBack],
      );
      return row.id;
    }

    it('refuses before the start with 409 TOO_EARLY', async () => {
      const booked = await book(patient, { doctorId: freeDoctor.id, startsAt: slotAt(80) }).expect(
        201,
      );
      const res = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/complete`)
        .set(auth(freeDoctor))
        .expect(409);
      expect(res.body.code).toBe('TOO_EARLY');
      const ns = await app.http
        .post(`/api/v1/appointments/${booked.body.id}/no-show`)
        .set(auth(freeDoctor))
        .expect(409);
      expect(ns.body.code).toBe('TOO_EARLY');
    });

    it('completes or marks no-show after the start, doctor of it only', async () => {
      const a = await startedAppointment();
      await app.http.post(`/api/v1/appointments/${a}/complete`).set(auth(patient)).expect(403);
      const done = await app.http
        .post(`/api/v1/appointments/${a}/complete`)
        .set(auth(freeDoctor))
        .expect(200);
      expect(done.body.status).toBe('completed');
      const twice = await app.http
        .post(`/api/v1/appointments/${a}/no-show`)
        .set(auth(freeDoctor))
        .expect(409);
      expect(twice.body.code).toBe('INVALID_TRANSITION');
      const b = await startedAppointment();
      const ns = await app.http
        .post(`/api/v1/appointments/${b}/no-show`)
        .set(auth(freeDoctor))
        .expect(200);
      expect(ns.body.status).toBe('no_show');
    });

    it('refuses to complete an unpaid appointment', async () => {
      const a = await startedAppointment(AppointmentStatus.PendingPayment);
      const res = await app.http
        .post(`/api/v1/appointments/${a}/complete`)
        .set(auth(freeDoctor))
        .expect(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
    });
  });
});
