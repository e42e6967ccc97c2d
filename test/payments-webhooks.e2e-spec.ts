import { Logger } from '@nestjs/common';
import { ExpireHold } from '@app/booking';
import { AppointmentStatus, PaymentStatus } from '@app/database';
import { EventType } from '@app/queues';
import { FakePayPal, SignedWebhook, WebhookEvent } from './fakes/paypal-fake';
import { auth, expectMismatchLogged, PaymentFlow } from './fakes/payment-flow';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('PayPal webhooks', () => {
  let fake: FakePayPal;
  let app: TestApp;
  let flow: PaymentFlow;

  const deliver = (signed: SignedWebhook) =>
    app.http.post('/api/v1/payments/webhooks/paypal').set(signed.headers).send(signed.body);
  const stored = (event: WebhookEvent) =>
    flow.count('payment_events WHERE provider_event_id = $1', [event.id]);

  /** A held appointment with an order the buyer approved at PayPal (no webhook sent). */
  async function approved() {
    const held = await flow.held();
    const payment = await flow.payment(held);
    fake.approve(payment.providerOrderId!);
    return { ...held, payment, orderId: payment.providerOrderId! };
  }

  async function expireHold(appointmentId: string): Promise<void> {
    await app.dataSource.query(
      `UPDATE appointments SET hold_expires_at = now() - interval '1 minute' WHERE id = $1`,
      [appointmentId],
    );
    expect(await app.get(ExpireHold).execute(appointmentId)).toBe(true);
  }

  beforeAll(async () => {
    fake = await FakePayPal.start();
    app = await TestApp.start({ env: fake.env() });
    flow = new PaymentFlow(app, fake);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  afterEach(() => {
    fake.up();
    fake.resume();
    fake.deliverWebhooksTo(undefined);
  });

  /** The events recorded about an aggregate, oldest first. */
  const recorded = (type: EventType, aggregateId: string): Promise<{ payload: object }[]> =>
    app.dataSource.query(
      'SELECT payload FROM outbox_events WHERE type = $1 AND aggregate_id = $2 ORDER BY created_at',
      [type, aggregateId],
    );

  describe('verification', () => {
    it('answers 400 to a delivery PayPal does not vouch for and stores nothing', async () => {
      const { payment, orderId } = await approved();
      const event = fake.buildEvent('CHECKOUT.ORDER.APPROVED', { orderId });
      const signed = fake.signedWebhook(event);

      const forged = {
        ...signed,
        headers: { ...signed.headers, 'paypal-transmission-sig': 'Zm9yZ2Vk' },
      };
      const tampered = { ...signed, body: signed.body.replace(orderId, 'ORDERSOMEONEELSE') };
      const unsigned = { headers: { 'content-type': 'application/json' }, body: signed.body };
      for (const delivery of [forged, tampered, unsigned]) {
        const res = await deliver(delivery).expect(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.code).toBe('WEBHOOK_NOT_VERIFIED');
      }
      expect(await stored(event)).toBe(0);
      expect((await flow.paymentRow(payment.id)).status).toBe(PaymentStatus.Created);

      // The genuine delivery of the same event is accepted.
      await deliver(signed).expect(200, { received: true });
      expect(await stored(event)).toBe(1);
    });

    it('answers 502 while PayPal cannot verify, so PayPal delivers again later', async () => {
      const { orderId } = await approved();
      const event = fake.buildEvent('CHECKOUT.ORDER.APPROVED', { orderId });
      fake.down();
      const res = await deliver(fake.signedWebhook(event)).expect(502);
      expect(res.body.code).toBe('PAYMENT_PROVIDER_ERROR');
      expect(await stored(event)).toBe(0);
      fake.up();
      await deliver(fake.signedWebhook(event)).expect(200);
      expect(await stored(event)).toBe(1);
    });
  });

  describe('inbox', () => {
    it('processes the same event once however often it is delivered', async () => {
      const { appointmentId, payment, orderId } = await approved();
      const event = fake.buildEvent('CHECKOUT.ORDER.APPROVED', { orderId });
      const signed = fake.signedWebhook(event);

      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => deliver(signed)));
      for (const res of answers) expect(res.status).toBe(200);
      expect(answers.map((r) => r.body)).toEqual(Array(5).fill({ received: true }));

      await flow.webhooksProcessed([event.id]);
      await flow.waitForAppointment(appointmentId, AppointmentStatus.Confirmed);
      await flow.captureJobsDone(payment.id);
      expect(await stored(event)).toBe(1);
      // The webhook's own job captured: no separate capture job was requested.
      expect(await flow.captureRequests(payment.id)).toBe(0);
      expect(await flow.transitions(appointmentId, AppointmentStatus.Confirmed)).toBe(1);
      expect(await flow.paymentEvents(EventType.PaymentCaptured, payment.id)).toBe(1);
      expect(flow.callsFor('capture', orderId)).toBe(1);
    });

    it('stores and skips event types it does not act on', async () => {
      const event = fake.buildEvent('PAYMENT.CAPTURE.REVERSED', {
        resource: { id: 'CAPTUREREVERSED1' },
      });
      await deliver(fake.signedWebhook(event)).expect(200);
      await flow.webhooksProcessed([event.id]);
      const [row] = await app.dataSource.query(
        'SELECT error FROM payment_events WHERE provider_event_id = $1',
        [event.id],
      );
      expect(row.error).toContain('not handled');
    });
  });

  describe('convergence', () => {
    it('captures once when the capture job and the webhooks race', async () => {
      fake.deliverWebhooksTo(flow.webhookUrl);
      const held = await flow.held();
      const payment = await flow.payment(held);
      const orderId = payment.providerOrderId!;

      // Approval delivers CHECKOUT.ORDER.APPROVED (which requests a capture) while the patient asks too.
      const approval = await fetch(payment.approveUrl!, { redirect: 'manual' });
      expect(approval.status).toBe(302);
      await flow.capture(held.patient, payment.id).expect(202);

      await flow.waitForAppointment(held.appointmentId, AppointmentStatus.Confirmed);
      const deliveries = await waitFor(
        () => {
          const ours = fake
            .deliveries()
            .filter((d) => JSON.stringify(d.event.resource).includes(orderId));
          return ours.length === 2 ? ours : null;
        },
        { what: 'the approval and capture webhooks' },
      );
      expect(deliveries.map((d) => [d.event.event_type, d.status]).sort()).toEqual([
        ['CHECKOUT.ORDER.APPROVED', 200],
        ['PAYMENT.CAPTURE.COMPLETED', 200],
      ]);
      await flow.webhooksProcessed(deliveries.map((d) => d.event.id));
      await flow.captureJobsDone(payment.id);

      const payments = await app.dataSource.query(
        'SELECT status FROM payments WHERE appointment_id = $1',
        [held.appointmentId],
      );
      expect(payments).toEqual([{ status: 'captured' }]);
      expect(fake.captures().filter((c) => JSON.stringify(c).includes(orderId))).toHaveLength(1);
      expect(await flow.transitions(held.appointmentId, AppointmentStatus.Confirmed)).toBe(1);
      expect(await flow.paymentEvents(EventType.PaymentCaptured, payment.id)).toBe(1);
    });

    it('converges once when PayPal captured before the job asked, and the webhook comes last', async () => {
      const { appointmentId, patient, payment, orderId } = await approved();
      // Building the event captures the order at PayPal; it is delivered after the job ran.
      const event = fake.buildEvent('PAYMENT.CAPTURE.COMPLETED', { orderId });
      await flow.capture(patient, payment.id).expect(202);
      const row = await flow.waitForPayment(payment.id, PaymentStatus.Captured);
      expect(row.provider_capture_id).toBe(event.resource.id);

      await deliver(fake.signedWebhook(event)).expect(200);
      await flow.webhooksProcessed([event.id]);
      expect(await flow.transitions(appointmentId, AppointmentStatus.Confirmed)).toBe(1);
      expect(await flow.paymentEvents(EventType.PaymentCaptured, payment.id)).toBe(1);
    });

    it('fails the payment on PAYMENT.CAPTURE.DENIED and keeps the hold', async () => {
      const { appointmentId, payment, orderId } = await approved();
      const delivery = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.DENIED', {
        orderId,
      });
      expect(delivery.status).toBe(200);
      await flow.waitForPayment(payment.id, PaymentStatus.Failed);
      expect((await flow.appointment(appointmentId)).status).toBe(AppointmentStatus.PendingPayment);
    });

    it('records a refund made at PayPal from PAYMENT.CAPTURE.REFUNDED', async () => {
      const paid = await flow.paid();
      const delivery = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.REFUNDED', {
        captureId: paid.captureId,
      });
      expect(delivery.status).toBe(200);
      const row = await flow.waitForPayment(paid.payment.id, PaymentStatus.Refunded);
      expect(row.refunded_at).toBeTruthy();
      const refunds = await app.dataSource.query(
        'SELECT status, provider_refund_id, amount_minor FROM refunds WHERE payment_id = $1',
        [paid.payment.id],
      );
      expect(refunds).toEqual([
        { status: 'completed', provider_refund_id: delivery.event.resource.id, amount_minor: 4500 },
      ]);
      expect(await flow.paymentEvents(EventType.RefundIssued, paid.payment.id)).toBe(1);
      expect(flow.callsFor('refund', paid.captureId)).toBe(0);
    });
  });

  describe('a capture of another amount than the payment', () => {
    it('flags and refunds a PAYMENT.CAPTURE.COMPLETED of another amount, confirming nothing', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error');
      try {
        const held = await approved();
        fake.captureNextWith({ minor: 3000, currency: 'USD' });
        // The refund's own answer never comes: only PayPal's webhook can complete it.
        fake.fail('refund', { status: 503 });

        const delivery = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.COMPLETED', {
          orderId: held.orderId,
        });
        expect(delivery.status).toBe(200);
        const applied = await flow.expectMismatchFlagged(held, held.payment.id, {
          amount: '30.00',
          currency: 'USD',
        });
        expectMismatchLogged(errors, held.payment.id, held.patient);
        const [pending] = await flow.refundsOf(held.payment.id);
        expect(pending).toMatchObject({ status: 'pending', amount_minor: 3000, currency: 'USD' });
        await waitFor(() => flow.callsFor('refund', applied.provider_capture_id!) > 0, {
          what: 'the refund to reach PayPal',
        });

        // PayPal refunds the 30.00 capture and says so: that is our refund, not a partial one.
        const refunded = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.REFUNDED', {
          captureId: applied.provider_capture_id!,
        });
        expect(refunded.status).toBe(200);
        await flow.webhooksProcessed([refunded.event.id]);
        const [note] = await app.dataSource.query(
          'SELECT error FROM payment_events WHERE provider_event_id = $1',
          [refunded.event.id],
        );
        expect(note.error).toBeNull();
        expect(await flow.refundsOf(held.payment.id)).toEqual([
          { id: pending.id, status: 'completed', amount_minor: 3000, currency: 'USD' },
        ]);
        const row = await flow.paymentRow(held.payment.id);
        expect(row.status).toBe(PaymentStatus.Failed);
        expect(row.refunded_at).toBeTruthy();
        expect(await flow.paymentEvents(EventType.RefundIssued, held.payment.id)).toBe(1);
        expect((await flow.appointment(held.appointmentId)).status).toBe(
          AppointmentStatus.PendingPayment,
        );
      } finally {
        errors.mockRestore();
        fake.reset();
      }
    });
  });

  describe('refunds made at PayPal', () => {
    it('cancels a confirmed appointment that has not started and frees its slot', async () => {
      const paid = await flow.paid(48);
      const [{ starts_at: startsAt }] = await app.dataSource.query(
        'SELECT starts_at FROM appointments WHERE id = $1',
        [paid.appointmentId],
      );

      const delivery = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.REFUNDED', {
        captureId: paid.captureId,
      });
      expect(delivery.status).toBe(200);
      await flow.webhooksProcessed([delivery.event.id]);

      const [appointment] = await app.dataSource.query(
        'SELECT status, cancelled_by, cancellation_reason, cancelled_at FROM appointments WHERE id = $1',
        [paid.appointmentId],
      );
      expect(appointment).toMatchObject({
        status: AppointmentStatus.Cancelled,
        cancelled_by: null,
        cancellation_reason: 'refunded at PayPal',
      });
      expect(appointment.cancelled_at).toBeTruthy();
      expect(await flow.transitions(paid.appointmentId, AppointmentStatus.Cancelled)).toBe(1);
      expect((await flow.paymentRow(paid.payment.id)).status).toBe(PaymentStatus.Refunded);
      expect(await recorded(EventType.AppointmentCancelled, paid.appointmentId)).toEqual([
        { payload: { appointmentId: paid.appointmentId, cancelledBy: null, refund: true } },
      ]);
      expect(await recorded(EventType.SlotFreed, paid.doctor.id)).toContainEqual({
        payload: expect.objectContaining({
          doctorId: paid.doctor.id,
          startsAt: new Date(startsAt).toISOString(),
        }),
      });
      // The money is already back: nothing is refunded again, and both sides are told.
      expect(flow.callsFor('refund', paid.captureId)).toBe(0);
      expect(await flow.paymentEvents(EventType.RefundIssued, paid.payment.id)).toBe(1);
      for (const email of [paid.patient.email, paid.doctor.email]) {
        await app.smtp.waitForMessage(
          (m) => m.to.includes(email) && m.subject === 'Appointment cancelled',
        );
      }
      const told = app.smtp
        .to(paid.patient.email)
        .find((m) => m.subject === 'Appointment cancelled')!;
      expect(told.text).toContain('Your payment will be refunded in full.');

      const other = await flow.fx.patient();
      await app.http
        .post('/api/v1/appointments')
        .set(auth(other))
        .send({ doctorId: paid.doctor.id, startsAt: new Date(startsAt).toISOString() })
        .expect(201);
    });

    it.each(['started', 'completed'] as const)(
      'only records a full refund of an appointment that %s',
      async (state) => {
        const paid = await flow.paid(48);
        await app.dataSource.query(
          `UPDATE appointments SET starts_at = now() - interval '10 minutes',
             ends_at = now() + interval '20 minutes', blocked_from = now() - interval '10 minutes',
             blocked_to = now() + interval '20 minutes' WHERE id = $1`,
          [paid.appointmentId],
        );
        if (state === 'completed') {
          await app.http
            .post(`/api/v1/appointments/${paid.appointmentId}/complete`)
            .set(auth(paid.doctor))
            .send()
            .expect(200);
        }
        const before = (await flow.appointment(paid.appointmentId)).status;

        const delivery = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.REFUNDED', {
          captureId: paid.captureId,
        });
        expect(delivery.status).toBe(200);
        await flow.webhooksProcessed([delivery.event.id]);

        expect((await flow.paymentRow(paid.payment.id)).status).toBe(PaymentStatus.Refunded);
        expect((await flow.appointment(paid.appointmentId)).status).toBe(before);
        expect(await flow.transitions(paid.appointmentId, AppointmentStatus.Cancelled)).toBe(0);
        expect(await recorded(EventType.AppointmentCancelled, paid.appointmentId)).toEqual([]);
        expect(await flow.paymentEvents(EventType.RefundIssued, paid.payment.id)).toBe(1);
      },
    );

    it('confirms and cancels nothing on a partial refund made at PayPal', async () => {
      const paid = await flow.paid(48);

      const delivery = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.REFUNDED', {
        captureId: paid.captureId,
        refundMinor: 1500,
      });
      expect(delivery.status).toBe(200);
      await flow.webhooksProcessed([delivery.event.id]);

      const [event] = await app.dataSource.query(
        'SELECT error FROM payment_events WHERE provider_event_id = $1',
        [delivery.event.id],
      );
      expect(event.error).toBe('partial refunds made at PayPal are not tracked');
      expect((await flow.appointment(paid.appointmentId)).status).toBe(AppointmentStatus.Confirmed);
      expect((await flow.paymentRow(paid.payment.id)).status).toBe(PaymentStatus.Captured);
      expect(await flow.count('refunds WHERE payment_id = $1', [paid.payment.id])).toBe(0);
      expect(await recorded(EventType.AppointmentCancelled, paid.appointmentId)).toEqual([]);
    });
  });

  describe('late capture', () => {
    async function expectRefundedAutomatically(
      appointmentId: string,
      paymentId: string,
      patientEmail: string,
    ) {
      const row = await flow.waitForPayment(paymentId, PaymentStatus.Refunded);
      const [refund] = await app.dataSource.query(
        'SELECT id, status, amount_minor FROM refunds WHERE payment_id = $1',
        [paymentId],
      );
      expect(refund).toMatchObject({ status: 'completed', amount_minor: 4500 });
      const calls = fake
        .requests('refund')
        .filter((r) => r.path.includes(row.provider_capture_id!));
      expect(calls.map((r) => r.requestId)).toEqual([refund.id]);
      expect((await flow.appointment(appointmentId)).status).toBe(AppointmentStatus.Expired);
      expect(await flow.transitions(appointmentId, AppointmentStatus.Confirmed)).toBe(0);
      expect(await flow.paymentEvents(EventType.PaymentCaptured, paymentId)).toBe(0);
      expect(await flow.paymentEvents(EventType.RefundIssued, paymentId)).toBe(1);
      const email = await app.smtp.waitForMessage(
        (m) => m.to.includes(patientEmail) && m.subject === 'Refund issued',
      );
      expect(email.text).toContain(paymentId);
    }

    it('refunds a capture reported after the hold expired, and tells the patient', async () => {
      const { appointmentId, patient, payment, orderId } = await approved();
      await expireHold(appointmentId);

      const delivery = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.COMPLETED', {
        orderId,
      });
      expect(delivery.status).toBe(200);

      await expectRefundedAutomatically(appointmentId, payment.id, patient.email);
    });

    it('refunds a capture whose answer arrives after the hold expired', async () => {
      const { appointmentId, patient, payment, orderId } = await approved();
      fake.pause('capture');
      await flow.capture(patient, payment.id).expect(202);
      await waitFor(() => fake.waiting('capture') === 1, { what: 'the capture to reach PayPal' });

      await expireHold(appointmentId);
      fake.resume('capture');

      await expectRefundedAutomatically(appointmentId, payment.id, patient.email);
      expect(flow.callsFor('capture', orderId)).toBe(1);
    });
  });
});
