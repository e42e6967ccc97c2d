import { Logger } from '@nestjs/common';
import { In, Not, type EntityManager } from 'typeorm';
import { applyTransition, cancellationEvents } from '@app/booking';
import { Money } from '@app/common';
import {
  Appointment,
  AppointmentStatus,
  Payment,
  PaymentStatus,
  Refund,
  RefundStatus,
} from '@app/database';
import { EventType, recordEvents, recordJobs } from '@app/queues';
import { issueRefundJob } from '../jobs/issue-refund.job';
import { PayPalMoney, toMinorMoney } from '../paypal';
import { lockPayment } from './payment-locks';
import {
  completeSeriesRefund,
  lockSeriesPayment,
  settleSeriesCapture,
  settleSeriesReportedRefund,
} from './series-payment-settlement';
import {
  cancelsOnRefundAtPayPal,
  captureOutcome,
  CaptureOutcome,
  describeMoney,
  isAwaitingCapture,
  mismatchReason,
  OPEN_PAYMENT,
  reportedRefundKind,
} from './payment-rules';

/**
 * The state changes every path shares (capture job, webhooks, reconciliation), each in the
 * caller's transaction and under the payment's row lock, so they converge whichever runs first.
 */

const logger = new Logger('PaymentSettlement');

/** The reason a refund made at PayPal itself is recorded and its appointment cancelled with. */
export const REFUNDED_AT_PAYPAL = 'refunded at PayPal';

export interface ReportedCapture {
  id: string;
  status: string;
  /** What PayPal says it captured: the capture answer, the webhook resource or the order. */
  amount?: PayPalMoney;
}

export async function settleCapture(
  manager: EntityManager,
  paymentId: string,
  capture: ReportedCapture,
): Promise<CaptureOutcome> {
  if (await isSeriesPayment(manager, paymentId))
    return settleSeriesCapture(manager, paymentId, capture);
  const { payment, appointment } = await lockPayment(manager, paymentId);
  const otherOpenPayment =
    payment.status === PaymentStatus.Failed &&
    (await manager.getRepository(Payment).exists({
      where: { appointmentId: appointment.id, status: In([...OPEN_PAYMENT]), id: Not(payment.id) },
    }));
  const captured = readMoney(capture.amount);
  const expected = { minor: payment.amountMinor, currency: payment.currency };
  const outcome = captureOutcome({
    paymentStatus: payment.status,
    captureRecorded: payment.providerCaptureId === capture.id,
    captureStatus: capture.status,
    appointmentStatus: appointment.status,
    otherOpenPayment,
    captured,
    expected,
  });
  const payments = manager.getRepository(Payment);
  // refund and mismatch are only answered for a capture whose amount is known.
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
  } else if (outcome === 'refund' && captured) {
    // The money is recorded, never dropped, and goes straight back: the slot is gone.
    const status =
      payment.status === PaymentStatus.Failed ? PaymentStatus.Failed : PaymentStatus.Captured;
    await payments.update(
      { id: payment.id },
      { status, providerCaptureId: capture.id, capturedAt: new Date() },
    );
    await openRefund(
      manager,
      payment,
      `captured while the appointment was ${appointment.status}`,
      captured,
    );
  } else if (outcome === 'mismatch' && captured) {
    // A wrong sum pays for nothing: recorded, returned in full, and failed for a person to see.
    const reason = mismatchReason(captured, expected);
    await payments.update(
      { id: payment.id },
      {
        status: PaymentStatus.Failed,
        providerCaptureId: capture.id,
        capturedAt: new Date(),
        failureReason: reason,
      },
    );
    await openRefund(manager, payment, reason, captured);
    logger.error(
      `Payment ${payment.id}: PayPal capture ${capture.id} ${reason}; the appointment is not confirmed and the capture is being refunded`,
    );
  } else if (outcome === 'fail') {
    await payments.update(
      { id: payment.id },
      { status: PaymentStatus.Failed, failureReason: `capture ${capture.status.toLowerCase()}` },
    );
  } else if (outcome === 'wait' && !captured) {
    logger.warn(
      `Payment ${payment.id}: PayPal capture ${capture.id} (${capture.status}) reported no readable amount; left for reconciliation`,
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
  const { payment } = (await isSeriesPayment(manager, paymentId))
    ? await lockSeriesPayment(manager, paymentId)
    : await lockPayment(manager, paymentId);
  if (!isAwaitingCapture(payment.status)) return false;
  await manager
    .getRepository(Payment)
    .update({ id: payment.id }, { status: PaymentStatus.Failed, failureReason: reason });
  return true;
}

/**
 * A pending refund of a captured payment, of `amount` (by default the payment's, in full);
 * the worker's refund job sends it to PayPal.
 */
export async function openRefund(
  manager: EntityManager,
  payment: Payment,
  reason: string,
  amount: Money = { minor: payment.amountMinor, currency: payment.currency },
): Promise<Refund> {
  const refunds = manager.getRepository(Refund);
  const refund = await refunds.save(
    refunds.create({
      paymentId: payment.id,
      appointmentId: payment.appointmentId,
      amountMinor: amount.minor,
      currency: amount.currency,
      status: RefundStatus.Pending,
      reason,
    }),
  );
  await recordJobs(manager, [issueRefundJob.with({ refundId: refund.id })]);
  return refund;
}

export interface CompletedRefund {
  refundId: string;
  providerRefundId: string | null;
}

/** Marks our refund completed and the payment refunded, once (the refund job). */
export async function completeRefund(
  manager: EntityManager,
  paymentId: string,
  done: CompletedRefund,
): Promise<boolean> {
  if (await isSeriesPayment(manager, paymentId))
    return completeSeriesRefund(manager, paymentId, done);
  const { payment, appointment } = await lockPayment(manager, paymentId);
  if (isRefunded(payment)) return false;
  const refund = await manager.getRepository(Refund).findOne({
    where: { id: done.refundId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!refund || refund.status !== RefundStatus.Pending) return false;
  await markRefunded(manager, payment, appointment, refund, done.providerRefundId);
  return true;
}

export interface ReportedRefund {
  providerRefundId: string;
  /** What PayPal says was refunded. */
  amount?: PayPalMoney;
}

/**
 * A PAYMENT.CAPTURE.REFUNDED: completes the refund we opened, or records a full refund made
 * at PayPal itself (e.g. from its dashboard), which cancels a confirmed appointment that has
 * not started. Partial refunds made there are not tracked. Answers why nothing changed, or null.
 */
export async function settleReportedRefund(
  manager: EntityManager,
  paymentId: string,
  reported: ReportedRefund,
): Promise<string | null> {
  if (await isSeriesPayment(manager, paymentId))
    return settleSeriesReportedRefund(manager, paymentId, reported);
  const { payment, appointment } = await lockPayment(manager, paymentId);
  if (isRefunded(payment)) return null;
  const refunds = manager.getRepository(Refund);
  const ours = await refunds.findOne({
    where: { paymentId, status: Not(RefundStatus.Failed) },
    lock: { mode: 'pessimistic_write' },
  });
  if (ours && ours.status !== RefundStatus.Pending) return null;
  if (!ours && !payment.providerCaptureId) return 'the payment has no capture to refund';
  const refunded = readMoney(reported.amount);
  const kind = reportedRefundKind({
    reported: refunded,
    ours: ours ? { minor: ours.amountMinor, currency: ours.currency } : null,
    paid: { minor: payment.amountMinor, currency: payment.currency },
  });
  switch (kind) {
    case 'partial':
      return 'partial refunds made at PayPal are not tracked';
    case 'unmatched':
      return `a refund of ${refunded ? describeMoney(refunded) : 'an unreadable amount'} made at PayPal does not match the payment; not tracked`;
    case 'ours':
      await markRefunded(manager, payment, appointment, ours!, reported.providerRefundId);
      return null;
    case 'full': {
      // Our books must match PayPal's, and the appointment has lost its payment.
      const refund = await refunds.save(
        refunds.create({
          paymentId,
          appointmentId: appointment.id,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
          status: RefundStatus.Pending,
          reason: REFUNDED_AT_PAYPAL,
        }),
      );
      const cancels = cancelsOnRefundAtPayPal(payment.status, appointment);
      await markRefunded(manager, payment, appointment, refund, reported.providerRefundId);
      if (cancels) await cancelUnpaid(manager, appointment);
      return null;
    }
  }
}

/** Whether the payment pays for a series (its appointments are payment_items). */
export async function isSeriesPayment(manager: EntityManager, paymentId: string): Promise<boolean> {
  const row = await manager
    .getRepository(Payment)
    .findOne({ where: { id: paymentId }, select: { id: true, seriesId: true } });
  return Boolean(row?.seriesId);
}

function isRefunded(payment: Payment): boolean {
  return payment.status === PaymentStatus.Refunded || payment.refundedAt !== null;
}

async function markRefunded(
  manager: EntityManager,
  payment: Payment,
  appointment: Appointment,
  refund: Refund,
  providerRefundId: string | null,
): Promise<void> {
  const now = new Date();
  await manager.getRepository(Refund).update(
    { id: refund.id },
    {
      status: RefundStatus.Completed,
      providerRefundId: providerRefundId ?? refund.providerRefundId,
      completedAt: now,
    },
  );
  // A payment that paid for nothing (failed, e.g. a mismatched capture) stays failed, flagged.
  const status =
    payment.status === PaymentStatus.Failed ? PaymentStatus.Failed : PaymentStatus.Refunded;
  await manager.getRepository(Payment).update({ id: payment.id }, { status, refundedAt: now });
  await recordEvents(manager, [
    {
      type: EventType.RefundIssued,
      payload: { paymentId: payment.id, appointmentId: appointment.id, refundId: refund.id },
    },
  ]);
}

/** Cancelled by nobody (the refund happened at PayPal): told like any cancellation, slot freed. */
async function cancelUnpaid(manager: EntityManager, appointment: Appointment): Promise<void> {
  await applyTransition(
    manager,
    appointment,
    AppointmentStatus.Cancelled,
    null,
    REFUNDED_AT_PAYPAL,
    { cancelledAt: new Date(), cancelledBy: null, cancellationReason: REFUNDED_AT_PAYPAL },
  );
  // refund: true tells the patient their money comes back; nothing asks PayPal for it again.
  await recordEvents(manager, cancellationEvents(appointment, null, true));
}

/** PayPal's amount in minor units, or null when missing or unreadable. */
function readMoney(amount: PayPalMoney | undefined): Money | null {
  if (!amount) return null;
  try {
    return toMinorMoney(amount);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
