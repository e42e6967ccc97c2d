import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ExpireHold } from '@app/booking';
import { AppointmentStatus, PaymentStatus } from '@app/database';
import { EventType, JobProducer } from '@app/queues';
import { reconcilePaymentsJob } from '@app/payments';
import { FakePayPal } from './fakes/paypal-fake';
import { auth, expectMismatchLogged, PaymentFlow } from './fakes/payment-flow';
import { Actor } from './support/booking-fixtures';
import { TestApp } from './support/test-app';

describe('Payments', () => {
  let fake: FakePayPal;
  let app: TestApp;
  let flow: PaymentFlow;

  beforeAll(async () => {
    fake = await FakePayPal.start();
    app = await TestApp.start({
      // PayPal sends the buyer back to the web app, not to the API.
      env: {
        ...fake.env(),
        APP_PUBLIC_URL: 'https://api.clinic.example',
        FRONTEND_URL: 'https://clinic.example',
      },
    });
    flow = new PaymentFlow(app, fake);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  afterEach(() => {
    fake.up();
    fake.clearFailures();
  });

  describe('order → approve → capture', () => {
    it('confirms the appointment and emails a receipt', async () => {
      const held = await flow.held();

      const created = await flow.createPayment(held.patient, held.appointmentId).expect(201);
      expect(created.body).toMatchObject({
        appointmentId: held.appointmentId,
        status: 'created',
        amount: { amount: '45.00', currency: 'USD' },
        capturedAt: null,
        refundedAt: null,
      });
      const { id: paymentId, providerOrderId: orderId, approveUrl } = created.body;
      expect(created.headers.location).toBe(`/api/v1/payments/${paymentId}`);
      expect(approveUrl).toContain(orderId);

      const order = fake.requests('createOrder').find((r) => r.requestId === paymentId);
      expect(order?.body).toMatchObject({
        intent: 'CAPTURE',
        purchase_units: [
          { custom_id: paymentId, amount: { currency_code: 'USD', value: '45.00' } },
        ],
        payment_source: {
          paypal: {
            experience_context: {
              return_url: `https://clinic.example/payments/${paymentId}/return`,
              cancel_url: `https://clinic.example/payments/${paymentId}/cancel`,
            },
          },
        },
      });

      // The buyer approves at PayPal and is sent back to our return URL.
      const approval = await fetch(approveUrl, { redirect: 'manual' });
      expect(approval.status).toBe(302);
      expect(approval.headers.get('location')).toContain(
        `https://clinic.example/payments/${paymentId}/return`,
      );

      const capture = await flow.capture(held.patient, paymentId).expect(202);
      expect(capture.body).toMatchObject({ id: paymentId, providerOrderId: orderId });

      await flow.waitForAppointment(held.appointmentId, AppointmentStatus.Confirmed);
      const row = await flow.waitForPayment(paymentId, PaymentStatus.Captured);
      expect(row.provider_capture_id).toBeTruthy();
      expect(fake.requests('capture').find((r) => r.path.includes(orderId))?.requestId).toBe(
        `capture-${paymentId}`,
      );

      const got = await app.http
        .get(`/api/v1/payments/${paymentId}`)
        .set(auth(held.patient))
        .expect(200);
      expect(got.body).toMatchObject({ id: paymentId, status: 'captured', refundedAt: null });
      expect(got.body.capturedAt).toEqual(expect.any(String));
      const appointment = await app.http
        .get(`/api/v1/appointments/${held.appointmentId}`)
        .set(auth(held.patient))
        .expect(200);
      expect(appointment.body).toMatchObject({ status: 'confirmed', holdExpiresAt: null });
      expect(await flow.transitions(held.appointmentId, AppointmentStatus.Confirmed)).toBe(1);

      const receipt = await app.smtp.waitForMessage(
        (m) => m.to.includes(held.patient.email) && m.subject === 'Payment received',
      );
      expect(receipt.text).toContain('Amount: US$45.00');
      expect(receipt.text).toContain(paymentId);
    });

    it('answers 202 again for a captured payment and captures nothing twice', async () => {
      const paid = await flow.paid();
      const again = await flow.capture(paid.patient, paid.payment.id).expect(202);
      expect(again.body.status).toBe('captured');
      expect(await flow.captureRequests(paid.payment.id)).toBe(1);
    });

    it('marks a declined capture failed, keeps the hold, and lets the patient pay again', async () => {
      const held = await flow.held();
      const first = await flow.payment(held);
      fake.approve(first.providerOrderId!);
      fake.denyNextCapture('declined');
      await flow.capture(held.patient, first.id).expect(202);
      const failed = await flow.waitForPayment(first.id, PaymentStatus.Failed);
      expect(failed.failure_reason).toContain('declined');
      expect((await flow.appointment(held.appointmentId)).status).toBe(
        AppointmentStatus.PendingPayment,
      );

      const retry = await flow.capture(held.patient, first.id).expect(409);
      expect(retry.body.code).toBe('PAYMENT_NOT_PAYABLE');

      const second = await flow.payment(held);
      expect(second.id).not.toBe(first.id);
      fake.approve(second.providerOrderId!);
      fake.denyNextCapture('instrument-declined');
      await flow.capture(held.patient, second.id).expect(202);
      await flow.waitForPayment(second.id, PaymentStatus.Failed);
      expect((await flow.appointment(held.appointmentId)).status).toBe(
        AppointmentStatus.PendingPayment,
      );
    });
  });

  describe('a capture of another amount than the payment', () => {
    let errors: jest.SpiedFunction<Logger['error']>;

    beforeEach(() => {
      errors = jest.spyOn(Logger.prototype, 'error');
    });

    afterEach(() => {
      errors.mockRestore();
      fake.reset();
    });

    it('flags the payment, confirms nothing and refunds what the capture answer reports', async () => {
      const held = await flow.held();
      const payment = await flow.payment(held);
      fake.approve(payment.providerOrderId!);
      fake.captureNextWith({ minor: 4000, currency: 'USD' });

      await flow.capture(held.patient, payment.id).expect(202);

      await flow.expectMismatchRefunded(held, payment.id, { amount: '40.00', currency: 'USD' });
      expectMismatchLogged(errors, payment.id, held.patient);
    });

    it('flags and refunds a capture in another currency that reconciliation finds', async () => {
      const held = await flow.held();
      const payment = await flow.payment(held);
      fake.captureNextWith({ minor: 4500, currency: 'EUR' });
      // Captured at PayPal, but neither the capture answer nor its webhook reached us.
      fake.buildEvent('PAYMENT.CAPTURE.COMPLETED', { orderId: payment.providerOrderId! });
      await app.dataSource.query(
        `UPDATE payments SET updated_at = now() - interval '1 hour' WHERE id = $1`,
        [payment.id],
      );

      await app
        .get(JobProducer)
        .enqueue(reconcilePaymentsJob, {}, { jobId: `reconcile-${Date.now()}` });

      await flow.expectMismatchRefunded(held, payment.id, { amount: '45.00', currency: 'EUR' });
      expectMismatchLogged(errors, payment.id, held.patient);
    });
  });

  describe('one open payment per appointment', () => {
    it('replays the first answer for the same Idempotency-Key', async () => {
      const held = await flow.held();
      const key = randomUUID();
      const first = await flow
        .createPayment(held.patient, held.appointmentId, { 'Idempotency-Key': key })
        .expect(201);
      const again = await flow
        .createPayment(held.patient, held.appointmentId, { 'Idempotency-Key': key })
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(await flow.count('payments WHERE appointment_id = $1', [held.appointmentId])).toBe(1);
      expect(
        fake.requests('createOrder').filter((r) => r.requestId === first.body.id),
      ).toHaveLength(1);
    });

    it('answers the open payment again instead of a second order', async () => {
      const held = await flow.held();
      const results = await Promise.all(
        [1, 2, 3].map(() => flow.createPayment(held.patient, held.appointmentId)),
      );
      for (const res of results) expect(res.status).toBe(201);
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(new Set(results.map((r) => r.body.providerOrderId)).size).toBe(1);
      expect(await flow.count('payments WHERE appointment_id = $1', [held.appointmentId])).toBe(1);
    });
  });

  describe('not payable', () => {
    it('answers 409 PAYMENT_NOT_PAYABLE for a confirmed appointment', async () => {
      const paid = await flow.paid();
      const res = await flow.createPayment(paid.patient, paid.appointmentId).expect(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('PAYMENT_NOT_PAYABLE');
    });

    it('answers 409 PAYMENT_NOT_PAYABLE once the hold expired, for a new payment and for a capture', async () => {
      const held = await flow.held();
      const payment = await flow.payment(held);
      fake.approve(payment.providerOrderId!);
      await app.dataSource.query(
        `UPDATE appointments SET hold_expires_at = now() - interval '1 minute' WHERE id = $1`,
        [held.appointmentId],
      );
      expect((await flow.capture(held.patient, payment.id).expect(409)).body.code).toBe(
        'PAYMENT_NOT_PAYABLE',
      );
      expect(
        (await flow.createPayment(held.patient, held.appointmentId).expect(409)).body.code,
      ).toBe('PAYMENT_NOT_PAYABLE');
      await app.get(ExpireHold).execute(held.appointmentId);
      expect(
        (await flow.createPayment(held.patient, held.appointmentId).expect(409)).body.code,
      ).toBe('PAYMENT_NOT_PAYABLE');
      expect(flow.callsFor('capture', payment.providerOrderId!)).toBe(0);
    });

    it('audits a capture request once, and refused payment attempts as failed', async () => {
      const held = await flow.held();
      const payment = await flow.payment(held);
      fake.approve(payment.providerOrderId!);
      await flow.capture(held.patient, payment.id).expect(202);
      await flow.waitForAppointment(held.appointmentId, AppointmentStatus.Confirmed);

      await flow.createPayment(held.patient, held.appointmentId).expect(409);
      await app.dataSource.query(`UPDATE payments SET status = 'failed' WHERE id = $1`, [
        payment.id,
      ]);
      await flow.capture(held.patient, payment.id).expect(409);

      const audit = await app.dataSource.query(
        `SELECT action, outcome::text AS outcome, resource_id FROM audit_logs
         WHERE actor_id = $1 AND resource_type = 'payment' ORDER BY at, id`,
        [held.patient.id],
      );
      expect(audit).toEqual([
        { action: 'payment.create', outcome: 'allowed', resource_id: payment.id },
        { action: 'payment.capture', outcome: 'allowed', resource_id: payment.id },
        { action: 'payment.create', outcome: 'failed', resource_id: held.appointmentId },
        { action: 'payment.capture', outcome: 'failed', resource_id: payment.id },
      ]);
    });
  });

  describe('PayPal down', () => {
    it.each(['unavailable', 'reset'] as const)(
      'answers 502 problem+json and leaves the appointment as it was (%s)',
      async (mode) => {
        const held = await flow.held();
        const before = await flow.appointment(held.appointmentId);
        fake.down(mode);

        const res = await flow.createPayment(held.patient, held.appointmentId).expect(502);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body).toMatchObject({ status: 502, code: 'PAYMENT_PROVIDER_ERROR' });

        expect(await flow.appointment(held.appointmentId)).toEqual(before);
        expect(await flow.transitions(held.appointmentId, AppointmentStatus.PendingPayment)).toBe(
          1,
        );
        const [failed] = await app.dataSource.query(
          'SELECT status FROM payments WHERE appointment_id = $1',
          [held.appointmentId],
        );
        expect(failed.status).toBe('failed');

        fake.up();
        const retry = await flow.createPayment(held.patient, held.appointmentId).expect(201);
        expect(retry.body.status).toBe('created');
        expect(retry.body.approveUrl).toEqual(expect.any(String));
      },
    );
  });

  describe('visibility', () => {
    let held: Awaited<ReturnType<PaymentFlow['held']>>;
    let paymentId: string;
    let otherPatient: Actor;
    let otherDoctor: Actor;
    let admin: Actor;

    beforeAll(async () => {
      held = await flow.held();
      paymentId = (await flow.payment(held)).id;
      otherPatient = await flow.fx.patient();
      otherDoctor = await flow.fx.doctor();
      admin = await flow.fx.admin();
    });

    it.each([
      ['its patient', 200, () => held.patient],
      ['an admin', 200, () => admin],
      ['its doctor', 404, () => held.doctor],
      ['another doctor', 404, () => otherDoctor],
      ['another patient', 404, () => otherPatient],
    ])('GET by %s → %i', async (_label, status, who) => {
      const res = await app.http.get(`/api/v1/payments/${paymentId}`).set(auth(who()));
      expect(res.status).toBe(status);
      if (status === 404) expect(res.body.code).toBe('NOT_FOUND');
    });

    it('answers 404 to another patient creating or capturing, and writes audit rows', async () => {
      expect((await flow.createPayment(otherPatient, held.appointmentId)).status).toBe(404);
      expect((await flow.capture(otherPatient, paymentId)).status).toBe(404);
      expect((await flow.createPayment(otherPatient, randomUUID())).status).toBe(404);
      expect(await flow.count('payments WHERE appointment_id = $1', [held.appointmentId])).toBe(1);
      const audit = await app.dataSource.query(
        `SELECT action, outcome FROM audit_logs WHERE actor_id = $1 AND resource_type = 'payment' ORDER BY at`,
        [otherPatient.id],
      );
      expect(audit).toEqual(
        expect.arrayContaining([
          { action: 'payment.create', outcome: 'denied' },
          { action: 'payment.capture', outcome: 'denied' },
        ]),
      );
    });

    it('audits a creation under the new payment id', async () => {
      const [row] = await app.dataSource.query(
        `SELECT actor_id, outcome FROM audit_logs WHERE action = 'payment.create' AND resource_id = $1`,
        [paymentId],
      );
      expect(row).toEqual({ actor_id: held.patient.id, outcome: 'allowed' });
    });

    it('lets only patients create and capture, and answers 401 without a token', async () => {
      expect((await flow.createPayment(held.doctor, held.appointmentId)).status).toBe(403);
      expect((await flow.capture(admin, paymentId)).status).toBe(403);
      expect((await app.http.get(`/api/v1/payments/${paymentId}`)).status).toBe(401);
    });
  });

  describe('reconciliation', () => {
    it('settles a stuck approved order and fails a stuck unapproved one whose hold ended', async () => {
      const approved = await flow.held();
      const approvedPayment = await flow.payment(approved);
      fake.approve(approvedPayment.providerOrderId!);

      const abandoned = await flow.held();
      const abandonedPayment = await flow.payment(abandoned);
      await app.dataSource.query(
        `UPDATE appointments SET hold_expires_at = now() - interval '1 minute' WHERE id = $1`,
        [abandoned.appointmentId],
      );
      await app.get(ExpireHold).execute(abandoned.appointmentId);

      // Neither a capture request nor a webhook came: both are stuck past the threshold.
      await app.dataSource.query(
        `UPDATE payments SET updated_at = now() - interval '1 hour' WHERE id = ANY($1)`,
        [[approvedPayment.id, abandonedPayment.id]],
      );
      await app
        .get(JobProducer)
        .enqueue(reconcilePaymentsJob, {}, { jobId: `reconcile-${Date.now()}` });

      await flow.waitForAppointment(approved.appointmentId, AppointmentStatus.Confirmed);
      await flow.waitForPayment(approvedPayment.id, PaymentStatus.Captured);
      const failed = await flow.waitForPayment(abandonedPayment.id, PaymentStatus.Failed);
      expect(failed.failure_reason).toContain('not approved');
      expect(flow.callsFor('capture', abandonedPayment.providerOrderId!)).toBe(0);
      expect(await flow.paymentEvents(EventType.PaymentCaptured, approvedPayment.id)).toBe(1);
    });
  });
});
