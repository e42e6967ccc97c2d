import type { Test } from 'supertest';
import { parseMoney } from '@app/common';
import { AppointmentStatus, PaymentStatus } from '@app/database';
import { EventType, eventDispatchJob, JobProducer, QueueName } from '@app/queues';
import { capturePaymentJob } from '@app/payments';
import { Actor, BookingFixtures, slotAt } from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { FakeOperation, FakePayPal } from './paypal-fake';

export interface HeldAppointment {
  doctor: Actor;
  patient: Actor;
  appointmentId: string;
}

export interface PaymentBody {
  id: string;
  appointmentId: string;
  status: PaymentStatus;
  amount: { amount: string; currency: string };
  providerOrderId: string | null;
  approveUrl: string | null;
  capturedAt: string | null;
  refundedAt: string | null;
}

export interface PaidAppointment extends HeldAppointment {
  payment: PaymentBody;
  orderId: string;
  captureId: string;
}

export const auth = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });

/** Drives the payment flow of the real api and worker against the fake PayPal, for e2e suites. */
export class PaymentFlow {
  readonly fx: BookingFixtures;

  constructor(
    readonly app: TestApp,
    readonly fake: FakePayPal,
  ) {
    this.fx = new BookingFixtures(app);
  }

  get webhookUrl(): string {
    return `${this.app.baseUrl}/api/v1/payments/webhooks/paypal`;
  }

  /** A fresh doctor (fee 45.00 USD) and patient, and a pending_payment booking `hoursAhead`. */
  async held(hoursAhead = 48): Promise<HeldAppointment> {
    const doctor = await this.fx.doctor({ feeMinor: 4500 });
    const patient = await this.fx.patient();
    const res = await this.app.http
      .post('/api/v1/appointments')
      .set(auth(patient))
      .send({ doctorId: doctor.id, startsAt: slotAt(hoursAhead) })
      .expect(201);
    expect(res.body.status).toBe(AppointmentStatus.PendingPayment);
    return { doctor, patient, appointmentId: res.body.id };
  }

  createPayment(actor: Actor, appointmentId: string, headers: Record<string, string> = {}): Test {
    return this.app.http
      .post(`/api/v1/appointments/${appointmentId}/payments`)
      .set({ ...auth(actor), ...headers })
      .send();
  }

  capture(actor: Actor, paymentId: string): Test {
    return this.app.http.post(`/api/v1/payments/${paymentId}/capture`).set(auth(actor)).send();
  }

  async payment(held: HeldAppointment): Promise<PaymentBody> {
    const res = await this.createPayment(held.patient, held.appointmentId).expect(201);
    return res.body as PaymentBody;
  }

  /** Booked, ordered, approved at PayPal, captured: the appointment is confirmed. */
  async paid(hoursAhead = 48): Promise<PaidAppointment> {
    const held = await this.held(hoursAhead);
    const payment = await this.payment(held);
    const orderId = payment.providerOrderId!;
    this.fake.approve(orderId);
    await this.capture(held.patient, payment.id).expect(202);
    await this.waitForAppointment(held.appointmentId, AppointmentStatus.Confirmed);
    const row = await this.waitForPayment(payment.id, PaymentStatus.Captured);
    return { ...held, payment, orderId, captureId: row.provider_capture_id! };
  }

  async appointment(
    id: string,
  ): Promise<{ status: AppointmentStatus; version: number; hold_expires_at: Date | null }> {
    const [row] = await this.app.dataSource.query(
      'SELECT status, version, hold_expires_at FROM appointments WHERE id = $1',
      [id],
    );
    return row;
  }

  async paymentRow(id: string): Promise<PaymentRow> {
    const [row] = await this.app.dataSource.query('SELECT * FROM payments WHERE id = $1', [id]);
    return row;
  }

  waitForPayment(id: string, status: PaymentStatus): Promise<PaymentRow> {
    return waitFor(
      async () => {
        const row = await this.paymentRow(id);
        return row?.status === status ? row : null;
      },
      { what: `payment ${id} to be ${status}` },
    );
  }

  waitForAppointment(id: string, status: AppointmentStatus): Promise<unknown> {
    return waitFor(async () => (await this.appointment(id))?.status === status, {
      what: `appointment ${id} to be ${status}`,
    });
  }

  async count(sql: string, params: unknown[]): Promise<number> {
    const [{ count }] = await this.app.dataSource.query(
      `SELECT count(*)::int AS count FROM ${sql}`,
      params,
    );
    return count as number;
  }

  /** How many times the appointment became `status`. */
  transitions(appointmentId: string, status: AppointmentStatus): Promise<number> {
    return this.count('appointment_status_history WHERE appointment_id = $1 AND to_status = $2', [
      appointmentId,
      status,
    ]);
  }

  /** Domain events of a type recorded about a payment. */
  paymentEvents(type: EventType, paymentId: string): Promise<number> {
    return this.count(`outbox_events WHERE type = $1 AND payload->>'paymentId' = $2`, [
      type,
      paymentId,
    ]);
  }

  /**
   * A capture of another sum than the payment's: the payment is flagged (failed, with the
   * reason), the appointment is not confirmed, and exactly what was captured goes back.
   */
  async expectMismatchRefunded(
    held: HeldAppointment,
    paymentId: string,
    captured: { amount: string; currency: string },
  ): Promise<void> {
    const applied = await this.expectMismatchFlagged(held, paymentId, captured);
    const refunded = await waitFor(
      async () => {
        const row = await this.paymentRow(paymentId);
        return row.refunded_at ? row : null;
      },
      { what: `the capture of payment ${paymentId} to be refunded` },
    );
    // Still flagged for a person once the money is back.
    expect(refunded.status).toBe(PaymentStatus.Failed);
    const refunds = await this.refundsOf(paymentId);
    expect(refunds).toEqual([
      {
        id: expect.any(String),
        status: 'completed',
        amount_minor: parseMoney(captured).minor,
        currency: captured.currency,
      },
    ]);
    const calls = this.fake
      .requests('refund')
      .filter((r) => r.path.includes(applied.provider_capture_id!));
    expect(calls).toEqual([
      expect.objectContaining({
        requestId: refunds[0].id,
        body: { amount: { currency_code: captured.currency, value: captured.amount } },
      }),
    ]);
    expect(await this.paymentEvents(EventType.RefundIssued, paymentId)).toBe(1);
  }

  /** The mismatched capture is recorded on a failed payment and confirms nothing. */
  async expectMismatchFlagged(
    held: HeldAppointment,
    paymentId: string,
    captured: { amount: string; currency: string },
  ): Promise<PaymentRow> {
    const applied = await waitFor(
      async () => {
        const row = await this.paymentRow(paymentId);
        return row.provider_capture_id ? row : null;
      },
      { what: `the capture of payment ${paymentId} to be recorded` },
    );
    expect(applied).toMatchObject({
      status: PaymentStatus.Failed,
      failure_reason: `captured amount ${captured.amount} ${captured.currency} does not match 45.00 USD`,
    });
    expect(applied.captured_at).toBeTruthy();
    expect((await this.appointment(held.appointmentId)).status).toBe(
      AppointmentStatus.PendingPayment,
    );
    expect(await this.transitions(held.appointmentId, AppointmentStatus.Confirmed)).toBe(0);
    expect(await this.paymentEvents(EventType.PaymentCaptured, paymentId)).toBe(0);
    return applied;
  }

  refundsOf(
    paymentId: string,
  ): Promise<{ id: string; status: string; amount_minor: number; currency: string }[]> {
    return this.app.dataSource.query(
      'SELECT id, status, amount_minor, currency FROM refunds WHERE payment_id = $1 ORDER BY created_at',
      [paymentId],
    );
  }

  /** Requests the fake received for one operation whose path names `id` (an order or capture id). */
  callsFor(operation: FakeOperation, id: string): number {
    return this.fake.requests(operation).filter((r) => r.path.includes(id)).length;
  }

  /** How many capture jobs were recorded for the payment. */
  async captureRequests(paymentId: string): Promise<number> {
    return this.count(`outbox_events WHERE type = $1 AND payload->>'paymentId' = $2`, [
      capturePaymentJob.name,
      paymentId,
    ]);
  }

  /** Waits until every capture job requested for the payment has finished. */
  async captureJobsDone(paymentId: string): Promise<void> {
    const requests: { job_id: string }[] = await this.app.dataSource.query(
      `SELECT job_id FROM outbox_events WHERE type = $1 AND payload->>'paymentId' = $2`,
      [capturePaymentJob.name, paymentId],
    );
    const queue = this.app.get(JobProducer).queue(QueueName.Payments);
    for (const { job_id: jobId } of requests) {
      await waitFor(async () => (await queue.getJob(jobId))?.isCompleted(), {
        what: `capture job ${jobId} to finish`,
      });
    }
  }

  /** Waits until the worker has processed these webhook events (by PayPal event id). */
  webhooksProcessed(eventIds: string[]): Promise<unknown> {
    return waitFor(
      async () =>
        (await this.count(
          'payment_events WHERE provider_event_id = ANY($1) AND processed_at IS NOT NULL',
          [eventIds],
        )) === eventIds.length,
      { what: `webhook events ${eventIds.join(', ')} to be processed` },
    );
  }

  /**
   * Waits until the worker has run every subscriber of a recorded event: after this, whatever
   * the event was going to cause has been caused, so an absence can be asserted.
   */
  async eventHandled(type: EventType, appointmentId: string): Promise<void> {
    const [{ id }] = await this.app.dataSource.query(
      'SELECT id FROM outbox_events WHERE type = $1 AND aggregate_id = $2 ORDER BY created_at DESC LIMIT 1',
      [type, appointmentId],
    );
    const queue = this.app.get(JobProducer).queue(QueueName.Events);
    await waitFor(
      async () => (await queue.getJob(eventDispatchJob.id({ eventId: id })))?.isCompleted(),
      {
        what: `the ${type} event to be handled`,
      },
    );
  }
}

export interface PaymentRow {
  id: string;
  appointment_id: string;
  status: PaymentStatus;
  provider_order_id: string | null;
  provider_capture_id: string | null;
  approve_url: string | null;
  captured_at: Date | null;
  refunded_at: Date | null;
  failure_reason: string | null;
  updated_at: Date;
}

/** The mismatch was logged as an error, by payment id and amounts only. */
export function expectMismatchLogged(
  errors: jest.SpiedFunction<(message: unknown, ...rest: unknown[]) => void>,
  paymentId: string,
  patient: Actor,
): void {
  const lines = errors.mock.calls
    .map(([message]) => String(message))
    .filter((line) => line.includes(paymentId));
  expect(lines).toEqual([expect.stringContaining('does not match')]);
  for (const line of lines) expect(line).not.toContain(patient.email);
}
