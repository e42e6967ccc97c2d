import { AppointmentStatus, PaymentStatus } from '@app/database';
import { RequestRefund } from '@app/payments';
import { EventType } from '@app/queues';
import { FakePayPal } from './fakes/paypal-fake';
import { auth, PaidAppointment, PaymentFlow } from './fakes/payment-flow';
import { Actor, slotAt } from './support/booking-fixtures';
import { TestApp } from './support/test-app';

describe('Refunds', () => {
  let fake: FakePayPal;
  let app: TestApp;
  let flow: PaymentFlow;

  const cancel = (actor: Actor, appointmentId: string) =>
    app.http
      .post(`/api/v1/appointments/${appointmentId}/cancel`)
      .set(auth(actor))
      .send({ reason: 'Plans changed' })
      .expect(200);

  async function refundOf(paid: PaidAppointment) {
    await flow.waitForPayment(paid.payment.id, PaymentStatus.Refunded);
    const refunds = await app.dataSource.query(
      'SELECT id, status, amount_minor, currency, provider_refund_id, attempts FROM refunds WHERE payment_id = $1',
      [paid.payment.id],
    );
    expect(refunds).toHaveLength(1);
    return refunds[0];
  }

  beforeAll(async () => {
    fake = await FakePayPal.start();
    app = await TestApp.start({ env: { ...fake.env(), CANCELLATION_FULL_REFUND_HOURS: '24' } });
    flow = new PaymentFlow(app, fake);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  it('refunds in full when the patient cancels early enough, with exactly one refund call', async () => {
    const paid = await flow.paid(48);
    await cancel(paid.patient, paid.appointmentId);

    const refund = await refundOf(paid);
    expect(refund).toMatchObject({ status: 'completed', amount_minor: 4500, currency: 'USD' });
    expect(refund.provider_refund_id).toBeTruthy();
    expect(fake.calls('refund')).toBe(1);
    expect(fake.requests('refund')[0]).toMatchObject({
      path: `/v2/payments/captures/${paid.captureId}/refund`,
      requestId: refund.id,
      body: { amount: { currency_code: 'USD', value: '45.00' } },
    });

    const got = await app.http
      .get(`/api/v1/payments/${paid.payment.id}`)
      .set(auth(paid.patient))
      .expect(200);
    expect(got.body).toMatchObject({ status: 'refunded', refundedAt: expect.any(String) });
    expect(await flow.paymentEvents(EventType.RefundIssued, paid.payment.id)).toBe(1);
    const email = await app.smtp.waitForMessage(
      (m) => m.to.includes(paid.patient.email) && m.subject === 'Refund issued',
    );
    expect(email.text).toContain('Amount: US$45.00');

    // A replayed cancellation opens no second refund.
    expect(
      await app.get(RequestRefund).execute(paid.appointmentId, 'appointment cancelled'),
    ).toBeNull();
    expect(fake.calls('refund')).toBe(1);
  });

  it('refunds nothing when the patient cancels late', async () => {
    const paid = await flow.paid(3);
    await cancel(paid.patient, paid.appointmentId);
    await flow.eventHandled(EventType.AppointmentCancelled, paid.appointmentId);

    const [cancelled] = await app.dataSource.query(
      `SELECT payload FROM outbox_events WHERE type = $1 AND aggregate_id = $2`,
      [EventType.AppointmentCancelled, paid.appointmentId],
    );
    expect(cancelled.payload.refund).toBe(false);
    expect(await flow.count('refunds WHERE payment_id = $1', [paid.payment.id])).toBe(0);
    expect(fake.calls('refund')).toBe(0);
    expect((await flow.paymentRow(paid.payment.id)).status).toBe(PaymentStatus.Captured);
    expect((await flow.appointment(paid.appointmentId)).status).toBe(AppointmentStatus.Cancelled);
  });

  describe('after a reschedule, judged from the first appointment of the chain', () => {
    const reschedule = async (actor: Actor, appointmentId: string, hoursAhead: number) => {
      const res = await app.http
        .post(`/api/v1/appointments/${appointmentId}/reschedule`)
        .set(auth(actor))
        .send({ startsAt: slotAt(hoursAhead) })
        .expect(200);
      return res.body.id as string;
    };

    it('refunds nothing when a late appointment is moved far ahead and then cancelled', async () => {
      const paid = await flow.paid(48);
      // The appointment is now 3 hours away: cancelling it directly would refund nothing.
      await app.dataSource.query(
        `UPDATE appointments SET starts_at = date_trunc('hour', now()) + interval '3 hours',
                ends_at = date_trunc('hour', now()) + interval '3 hours 30 minutes',
                blocked_from = date_trunc('hour', now()) + interval '3 hours',
                blocked_to = date_trunc('hour', now()) + interval '3 hours 30 minutes' WHERE id = $1`,
        [paid.appointmentId],
      );
      const moved = await reschedule(paid.patient, paid.appointmentId, 72);
      await cancel(paid.patient, moved);
      await flow.eventHandled(EventType.AppointmentCancelled, moved);

      const [cancelled] = await app.dataSource.query(
        `SELECT payload FROM outbox_events WHERE type = $1 AND aggregate_id = $2`,
        [EventType.AppointmentCancelled, moved],
      );
      expect(cancelled.payload.refund).toBe(false);
      expect(await flow.count('refunds WHERE payment_id = $1', [paid.payment.id])).toBe(0);
      expect(flow.callsFor('refund', paid.captureId)).toBe(0);
      expect((await flow.paymentRow(paid.payment.id)).status).toBe(PaymentStatus.Captured);
    });

    it('refunds nothing when an early booking is moved into the window and then cancelled', async () => {
      const paid = await flow.paid(48);
      const moved = await reschedule(paid.patient, paid.appointmentId, 3);
      await cancel(paid.patient, moved);
      await flow.eventHandled(EventType.AppointmentCancelled, moved);

      const [cancelled] = await app.dataSource.query(
        `SELECT payload FROM outbox_events WHERE type = $1 AND aggregate_id = $2`,
        [EventType.AppointmentCancelled, moved],
      );
      expect(cancelled.payload.refund).toBe(false);
      expect(flow.callsFor('refund', paid.captureId)).toBe(0);
    });

    it('still refunds in full when every appointment of the chain is cancelled early enough', async () => {
      const paid = await flow.paid(48);
      const moved = await reschedule(paid.patient, paid.appointmentId, 72);
      const again = await reschedule(paid.patient, moved, 96);
      await cancel(paid.patient, again);

      const refund = await refundOf(paid);
      expect(refund).toMatchObject({ status: 'completed', amount_minor: 4500 });
      expect(flow.callsFor('refund', paid.captureId)).toBe(1);
    });
  });

  it('refunds in full when the doctor cancels, however late', async () => {
    const paid = await flow.paid(3);
    await cancel(paid.doctor, paid.appointmentId);

    const refund = await refundOf(paid);
    expect(refund).toMatchObject({ status: 'completed', amount_minor: 4500 });
    expect(fake.calls('refund')).toBe(1);
  });

  it('retries a refund PayPal fails, and refunds once', async () => {
    const paid = await flow.paid(48);
    fake.fail('refund', { status: 503, times: 2 });
    await cancel(paid.patient, paid.appointmentId);

    const refund = await refundOf(paid);
    expect(refund).toMatchObject({ status: 'completed', attempts: 3 });
    expect(fake.calls('refund')).toBe(3);
    expect(new Set(fake.requests('refund').map((r) => r.requestId))).toEqual(new Set([refund.id]));
    expect(fake.refunds()).toHaveLength(1);
    expect(await flow.paymentEvents(EventType.RefundIssued, paid.payment.id)).toBe(1);
  });
});
