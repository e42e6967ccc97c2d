import { In, Not, type EntityManager } from 'typeorm';
import { applyTransition } from '@app/booking';
import { AppointmentStatus, Payment, PaymentStatus, Refund, RefundStatus } from '@app/database';
import { EventType, recordEvents, recordJobs } from '@app/queues';
import { issueRefundJob } from '../jobs/issue-refund.job';
import { lockPayment } from './payment-locks';
import { captureOutcome, CaptureOutcome, isAwaitingCapture, OPEN_PAYMENT } from './payment-rules';

/**
 * The state changes every path shares (capture job, webhooks, reconciliation), each in the
 * caller's transaction and under the payment's row lock, so they converge whichever runs first.
 */

export interface ReportedCapture {
  id: string;
  status: string;
}

export async function settleCapture(
  manager: EntityManager,
  paymentId: string,
  capture: ReportedCapture,
): Promise<CaptureOutcome> {
  const { payment, appointment } = await lockPayment(manager, paymentId);
  const otherOpenPayment =
    payment.status === PaymentStatus.Failed &&
    (await manager.getRepository(Payment).exists({
      where: { appointmentId: appointment.id, status: In([...OPEN_PAYMENT]), id: Not(payment.id) },
    }));
  const outcome = captureOutcome({
    paymentStatus: payment.status,
    captureRecorded: payment.providerCaptureId === capture.id,
    captureStatus: capture.status,
    appointmentStatus: appointment.status,
    otherOpenPayment,
  });
  const payments = manager.getRepository(Payment);
  if (outcome === 'confirm') {
    await payments.update(
      { id: payment.id },
      {
        status: PaymentStatus.Captured,
        providerCaptureId: capture.id,
        capturedAt: new Date(),
        failureReason: null,
      },
    );
    await applyTransition(
      manager,
      appointment,
      AppointmentStatus.Confirmed,
      null,
      'payment captured',
      { holdExpiresAt: null },
    );
    await recordEvents(manager, [
      {
        type: EventType.PaymentCaptured,
        payload: { paymentId: payment.id, appointmentId: appointment.id },
      },
      { type: EventType.AppointmentConfirmed, payload: { appointmentId: appointment.id } },
    ]);
  } else if (outcome === 'refund') {
    // The money is recorded, never dropped, and goes straight back: the slot is gone.
    const status =
      payment.status === PaymentStatus.Failed ? PaymentStatus.Failed : PaymentStatus.Captured;
    await payments.update(
      { id: payment.id },
      { status, providerCaptureId: capture.id, capturedAt: new Date() },
    );
    await openRefund(manager, payment, `captured while the appointment was ${appointment.status}`);
  } else if (outcome === 'fail') {
    await payments.update(
      { id: payment.id },
      { status: PaymentStatus.Failed, failureReason: `capture ${capture.status.toLowerCase()}` },
    );
  }
  return outcome;
}

/** A payment that will take no money; only one still waiting for it can fail. */
export async function failPayment(
  manager: EntityManager,
  paymentId: string,
  reason: string,
): Promise<boolean> {
  const { payment } = await lockPayment(manager, paymentId);
  if (!isAwaitingCapture(payment.status)) return false;
  await manager
    .getRepository(Payment)
    .update({ id: payment.id }, { status: PaymentStatus.Failed, failureReason: reason });
  return true;
}

/** A pending full refund of a captured payment; the worker's refund job sends it to PayPal. */
export async function openRefund(
  manager: EntityManager,
  payment: Payment,
  reason: string,
): Promise<Refund> {
  const refunds = manager.getRepository(Refund);
  const refund = await refunds.save(
    refunds.create({
      paymentId: payment.id,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      status: RefundStatus.Pending,
      reason,
    }),
  );
  await recordJobs(manager, [issueRefundJob.with({ refundId: refund.id })]);
  return refund;
}

export interface CompletedRefund {
  /** Our refund row, when known (the refund job); a webhook knows only PayPal's id. */
  refundId?: string;
  providerRefundId: string | null;
}

/** Marks the refund completed and the payment refunded, once. */
export async function completeRefund(
  manager: EntityManager,
  paymentId: string,
  done: CompletedRefund,
): Promise<boolean> {
  const { payment, appointment } = await lockPayment(manager, paymentId);
  if (payment.status === PaymentStatus.Refunded) return false;
  const refunds = manager.getRepository(Refund);
  let refund = await refunds.findOne({
    where: done.refundId ? { id: done.refundId } : { paymentId, status: Not(RefundStatus.Failed) },
    lock: { mode: 'pessimistic_write' },
  });
  if (refund && refund.status !== RefundStatus.Pending) return false;
  if (!refund) {
    if (done.refundId || !payment.providerCaptureId) return false;
    // Refunded at PayPal itself (e.g. from its dashboard): recorded so our books match.
    refund = await refunds.save(
      refunds.create({
        paymentId,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        status: RefundStatus.Pending,
        reason: 'refunded at PayPal',
      }),
    );
  }
  const now = new Date();
  await refunds.update(
    { id: refund.id },
    {
      status: RefundStatus.Completed,
      providerRefundId: done.providerRefundId ?? refund.providerRefundId,
      completedAt: now,
    },
  );
  await manager
    .getRepository(Payment)
    .update({ id: payment.id }, { status: PaymentStatus.Refunded, refundedAt: now });
  await recordEvents(manager, [
    {
      type: EventType.RefundIssued,
      payload: { paymentId: payment.id, appointmentId: appointment.id, refundId: refund.id },
    },
  ]);
  return true;
}
