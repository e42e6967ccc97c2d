import { approvalDeadlineJob, DEADLINE_DECLINE_REASON, holdSweepJob } from '@app/booking';
import { JobProducer } from '@app/queues';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const MIN = 60_000;
const HOUR = 3_600_000;

/** SPEC §6 "Approval": pending_approval, approve, decline, and the worker's deadline. */
describe('Visit types that need approval', () => {
  let app: TestApp;
  let fx: BookingFixtures;
  let admin: Actor;

  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const book = (patient: Actor, body: Record<string, unknown>) =>
    app.http.post('/api/v1/appointments').set(patient.auth).send(body);
  const approve = (actor: Actor, id: string) =>
    app.http.post(`/api/v1/appointments/${id}/approve`).set(actor.auth).send();
  const decline = (actor: Actor, id: string, body: Record<string, unknown> = {}) =>
    app.http.post(`/api/v1/appointments/${id}/decline`).set(actor.auth).send(body);
  const read = async (actor: Actor, id: string) =>
    (await app.http.get(`/api/v1/appointments/${id}`).set(actor.auth).expect(200)).body;
  const history = (id: string) =>
    app.dataSource.query(
      `SELECT from_status, to_status, actor_id, reason FROM appointment_status_history
        WHERE appointment_id = $1 ORDER BY at`,
      [id],
    );
  const offered = async (doctorId: string, startsAt: string, visitTypeId?: string) => {
    const day = startsAt.slice(0, 10);
    const res = await app.http
      .get(`/api/v1/doctors/${doctorId}/slots`)
      .query({ from: day, to: day, ...(visitTypeId ? { visitTypeId } : {}) })
      .expect(200);
    return res.body.items.some((slot: { startsAt: string }) => slot.startsAt === startsAt);
  };

  /** A doctor working all day (30-minute grid) with a type that needs approval. */
  async function approvalSetup(price = '30.00', approvalDeadlineHours = 2) {
    const doctor = await fx.doctor({ feeMinor: 0 });
    const type = await app.http
      .post('/api/v1/doctors/me/visit-types')
      .set(doctor.auth)
      .send({
        name: 'New patient (approval)',
        durationMinutes: 30,
        price: usd(price),
        requiresApproval: true,
        approvalDeadlineHours,
        questions: [{ key: 'symptoms', label: 'What brings you in?', kind: 'text' }],
      })
      .expect(201);
    const patient = await fx.patient();
    return { doctor, patient, typeId: type.body.id as string };
  }

  async function pendingBooking(hoursAhead: number, price = '30.00') {
    const setup = await approvalSetup(price);
    const startsAt = slotAt(hoursAhead);
    const res = await book(setup.patient, {
      doctorId: setup.doctor.id,
      startsAt,
      visitTypeId: setup.typeId,
      answers: { symptoms: 'Rash' },
    }).expect(201);
    expect(res.body.status).toBe('pending_approval');
    return { ...setup, startsAt, id: res.body.id as string };
  }

  const outboxJob = async (id: string) => {
    const [row] = await app.dataSource.query(
      'SELECT state, run_at FROM outbox_events WHERE job_id = $1',
      [approvalDeadlineJob.id({ appointmentId: id })],
    );
    return row as { state: string; run_at: Date } | undefined;
  };

  beforeAll(async () => {
    app = await TestApp.start();
    fx = new BookingFixtures(app);
    admin = await fx.admin();
  });

  afterAll(async () => {
    await app.close();
  });

  it('books pending_approval with a deadline of now + hours, holding the slot and asking the doctor', async () => {
    const { doctor, patient, typeId } = await approvalSetup('30.00', 2);
    const startsAt = slotAt(30);
    const before = Date.now();
    const res = await book(patient, { doctorId: doctor.id, startsAt, visitTypeId: typeId }).expect(
      201,
    );
    expect(res.body).toMatchObject({
      status: 'pending_approval',
      holdExpiresAt: null,
      fee: usd('30.00'),
      declinedAt: null,
      declineReason: null,
    });
    const deadline = Date.parse(res.body.approvalDeadlineAt);
    expect(deadline).toBeGreaterThanOrEqual(before + 2 * HOUR - 1000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 2 * HOUR);

    // Held: not offered, for this type or the default one, and nobody else gets it.
    expect(await offered(doctor.id, startsAt, typeId)).toBe(false);
    expect(await offered(doctor.id, startsAt)).toBe(false);
    const other = await fx.patient();
    const taken = await book(other, { doctorId: doctor.id, startsAt }).expect(409);
    expect(taken.body.code).toBe('SLOT_TAKEN');
    const [{ count }] = await app.dataSource.query(
      `SELECT count(*)::int AS count FROM appointments WHERE doctor_id = $1
          AND status IN ('pending_approval', 'pending_payment', 'confirmed')`,
      [doctor.id],
    );
    expect(count).toBe(1);

    // No payment before approval.
    const pay = await app.http
      .post(`/api/v1/appointments/${res.body.id}/payments`)
      .set(patient.auth)
      .send()
      .expect(409);
    expect(pay.body.code).toBe('INVALID_TRANSITION');
    const [{ payments }] = await app.dataSource.query(
      'SELECT count(*)::int AS payments FROM payments WHERE appointment_id = $1',
      [res.body.id],
    );
    expect(payments).toBe(0);

    expect(await history(res.body.id)).toEqual([
      { from_status: null, to_status: 'pending_approval', actor_id: patient.id, reason: 'booked' },
    ]);
    await app.smtp.waitForMessage(
      (m) => m.to.includes(doctor.email) && m.subject === 'Approval requested',
    );
    await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Booking received',
    );
    // The deadline is a job of its own, due at the deadline.
    const job = await waitFor(() => outboxJob(res.body.id), { what: 'the deadline job' });
    expect(new Date(job.run_at).getTime()).toBe(deadline);
    expect(app.smtp.to(doctor.email).some((m) => m.subject === 'New booking')).toBe(false);
  });

  it('sets the deadline to the start when the start comes sooner', async () => {
    const { doctor, patient, typeId } = await approvalSetup('30.00', 24);
    const startsAt = slotAt(2);
    const res = await book(patient, { doctorId: doctor.id, startsAt, visitTypeId: typeId }).expect(
      201,
    );
    expect(res.body.approvalDeadlineAt).toBe(startsAt);
  });

  it('approves a priced visit into pending_payment with a fresh hold, and tells the patient', async () => {
    const { doctor, patient, id } = await pendingBooking(31);
    const before = Date.now();
    const res = await approve(doctor, id).expect(200);
    expect(res.body).toMatchObject({ id, status: 'pending_payment' });
    const hold = Date.parse(res.body.holdExpiresAt);
    expect(hold).toBeGreaterThanOrEqual(before + 15 * MIN - 1000);
    expect(hold).toBeLessThanOrEqual(Date.now() + 15 * MIN);
    expect(await read(patient, id)).toMatchObject({ status: 'pending_payment' });

    const again = await approve(doctor, id).expect(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
    expect((await decline(doctor, id).expect(409)).body.code).toBe('INVALID_TRANSITION');

    expect(await history(id)).toEqual([
      { from_status: null, to_status: 'pending_approval', actor_id: patient.id, reason: 'booked' },
      {
        from_status: 'pending_approval',
        to_status: 'pending_payment',
        actor_id: doctor.id,
        reason: 'approved',
      },
    ]);
    const email = await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Appointment approved',
    );
    expect(email.text).toContain('payment');
    // Decided: the deadline job is no longer wanted.
    await waitFor(async () => (await outboxJob(id))?.state === 'cancelled', {
      what: 'the deadline job to be cancelled',
    });
  });

  it('approves a free visit (by an admin) straight into confirmed', async () => {
    const { patient, id } = await pendingBooking(32, '0.00');
    const res = await approve(admin, id).expect(200);
    expect(res.body).toMatchObject({ status: 'confirmed', holdExpiresAt: null });
    expect((await history(id)).map((row: { to_status: string }) => row.to_status)).toEqual([
      'pending_approval',
      'confirmed',
    ]);
    await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Appointment approved',
    );
    await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Appointment confirmed',
    );
  });

  it('declines: final, the slot frees, the patient and the waitlist are told', async () => {
    const { doctor, patient, typeId, startsAt, id } = await pendingBooking(33);
    const waiting = await fx.patient();
    const day = startsAt.slice(0, 10);
    await app.http
      .post('/api/v1/waitlist')
      .set(waiting.auth)
      .send({ doctorId: doctor.id, from: day, to: day })
      .expect(201);
    expect(await offered(doctor.id, startsAt, typeId)).toBe(false);

    const before = Date.now();
    const res = await decline(doctor, id, { reason: 'Please see your GP first' }).expect(200);
    expect(res.body).toMatchObject({
      status: 'declined',
      declineReason: 'Please see your GP first',
      holdExpiresAt: null,
    });
    expect(Date.parse(res.body.declinedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await read(patient, id)).toMatchObject({ status: 'declined' });

    expect((await decline(doctor, id).expect(409)).body.code).toBe('INVALID_TRANSITION');
    expect((await approve(doctor, id).expect(409)).body.code).toBe('INVALID_TRANSITION');

    expect(await offered(doctor.id, startsAt, typeId)).toBe(true);
    expect(await offered(doctor.id, startsAt)).toBe(true);
    const [row] = await history(id).then((rows) => rows.slice(1));
    expect(row).toEqual({
      from_status: 'pending_approval',
      to_status: 'declined',
      actor_id: doctor.id,
      reason: 'Please see your GP first',
    });

    const email = await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Appointment request declined',
    );
    expect(email.text).toContain('Please see your GP first');
    const alert = await app.smtp.waitForMessage(
      (m) => m.to.includes(waiting.email) && /is available/.test(m.subject),
    );
    expect(alert.text).toContain(`startsAt=${encodeURIComponent(startsAt)}`);
    await waitFor(async () => (await outboxJob(id))?.state === 'cancelled', {
      what: 'the deadline job to be cancelled',
    });
    // First to book wins.
    await book(waiting, { doctorId: doctor.id, startsAt }).expect(201);
  });

  it('lets an admin decline, without a reason', async () => {
    const { id } = await pendingBooking(34);
    const res = await decline(admin, id).expect(200);
    expect(res.body).toMatchObject({ status: 'declined', declineReason: null });
  });

  it('refuses approve and decline to the patient (403) and to another doctor (404)', async () => {
    const { patient, id } = await pendingBooking(35);
    const otherDoctor = await fx.doctor();
    for (const send of [approve, decline]) {
      const asPatient = await send(patient, id).expect(403);
      expect(asPatient.body.code).toBe('FORBIDDEN');
      const asOther = await send(otherDoctor, id).expect(404);
      expect(asOther.body.code).toBe('NOT_FOUND');
    }
    expect(await read(patient, id)).toMatchObject({ status: 'pending_approval' });
    expect(await history(id)).toHaveLength(1);
  });

  it('lets the worker decline at the deadline, through the deadline job', async () => {
    const { doctor, patient, typeId, startsAt, id } = await pendingBooking(36);
    await app.dataSource.query(
      "UPDATE appointments SET approval_deadline_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    // Lapsed, even before the worker gets to it: the doctor can no longer approve.
    const late = await approve(doctor, id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('INVALID_TRANSITION');
    await app
      .get(JobProducer)
      .enqueue(approvalDeadlineJob, { appointmentId: id }, { jobId: `deadline-now-${id}` });

    await waitFor(async () => (await read(patient, id)).status === 'declined', {
      what: 'the worker to decline at the deadline',
    });
    const declined = await read(patient, id);
    expect(declined.declineReason).toBe('approval deadline passed');
    expect(declined.declineReason).toBe(DEADLINE_DECLINE_REASON);
    expect(declined.declinedAt).toBeTruthy();
    expect((await history(id))[1]).toEqual({
      from_status: 'pending_approval',
      to_status: 'declined',
      actor_id: null,
      reason: 'approval deadline passed',
    });
    const email = await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Appointment request declined',
    );
    expect(email.text).toContain('did not answer in time');
    expect(await offered(doctor.id, startsAt, typeId)).toBe(true);
    expect((await approve(doctor, id).expect(409)).body.code).toBe('INVALID_TRANSITION');
  });

  it('lets the sweep decline overdue requests too, and leaves the ones not yet due', async () => {
    const overdue = await pendingBooking(37);
    const notYet = await pendingBooking(38);
    await app.dataSource.query(
      "UPDATE appointments SET approval_deadline_at = now() - interval '1 second' WHERE id = $1",
      [overdue.id],
    );
    await app.get(JobProducer).enqueue(holdSweepJob, {}, { jobId: `sweep-now-${overdue.id}` });

    await waitFor(async () => (await read(overdue.patient, overdue.id)).status === 'declined', {
      what: 'the sweep to decline',
    });
    expect((await read(overdue.patient, overdue.id)).declineReason).toBe(
      'approval deadline passed',
    );
    // The deadline job of the other one would do nothing early either.
    await app
      .get(JobProducer)
      .enqueue(approvalDeadlineJob, { appointmentId: notYet.id }, { jobId: `early-${notYet.id}` });
    const queue = app.get(JobProducer).queue(approvalDeadlineJob.queue);
    await waitFor(
      async () =>
        (await queue.getJob(`early-${notYet.id}`).then((j) => j?.getState())) === 'completed',
      { what: 'the early deadline job' },
    );
    expect(await read(notYet.patient, notYet.id)).toMatchObject({ status: 'pending_approval' });
  });

  it('lets the patient cancel a request that waits for approval', async () => {
    const { doctor, patient, typeId, startsAt, id } = await pendingBooking(39);
    const res = await app.http
      .post(`/api/v1/appointments/${id}/cancel`)
      .set(patient.auth)
      .send({})
      .expect(200);
    expect(res.body.status).toBe('cancelled');
    expect(await offered(doctor.id, startsAt, typeId)).toBe(true);
    expect((await approve(doctor, id).expect(409)).body.code).toBe('INVALID_TRANSITION');
  });
});
