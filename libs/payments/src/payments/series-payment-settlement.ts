import { Logger } from '@nestjs/common';
import { In, IsNull, type EntityManager } from 'typeorm';
import { applyTransition } from '@app/booking';
import { Money } from '@app/common';
import {
  Appointment,
  AppointmentStatus,
  Payment,
  PaymentItem,
  PaymentStatus,
  Refund,
  RefundStatus,
} from '@app/database';
import { DomainEvent, EventType, recordEvents, recordJobs } from '@app/queues';
import { issueRefundJob } from '../jobs/issue-refund.job';
import { PayPalMoney, toMinorMoney } from '../paypal';
import { PaymentNotFoundError } from './payment.errors';
import { captureOutcome, CaptureOutcome, describeMoney, mismatchReason } from './payment-rules';

/**
 * A series payment pays for several occurrences with one PayPal capture; payment_items hold
 * each occurrence's share and the refund that returns it. The same paths as a single payment
 * (capture job, webhooks, reconciliation) converge here, under the same locks: every covered
 * appointment (in start order), then the payment.
 */

const logger = new Logger('SeriesPaymentSettlement');

export interface LockedSeriesPayment {
  payment: Payment;
  items: PaymentItem[];
  /** The covered appointments, in start order. */
  appointments: Appointment[];
}

export async function lockSeriesPayment(
  manager: EntityManager,
  paymentId: string,
): Promise<LockedSeriesPayment> {
  const itemsRepo = manager.getRepository(PaymentItem);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const seen = await itemsRepo.find({ where: { paymentId } });
    const ids = seen.map((item) => item.appointmentId);
    const appointments = await manager.getRepository(Appointment).find({
      where: { id: In(ids) },
      order: { startsAt: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const payment = await manager
      .getRepository(Payment)
      .findOne({ where: { id: paymentId }, lock: { mode: 'pessimistic_write' } });
    if (!payment) throw new PaymentNotFoundError();
    const items = await itemsRepo.find({ where: { paymentId } });
    // A reschedule may have moved an item to the new appointment meanwhile.
    if (sameIds(items, seen)) return { payment, items, appointments };
  }
  throw new Error(`Series payment ${paymentId} kept moving between appointments`);
}

/**
 * One pending refund of the shares of `appointmentIds` not refunded yet (all items when
 * 'all'), or of `amount` when given (a mismatched capture returns what was taken); null when
 * nothing is left to refund. Call it under the payment's row lock.
 */
export async function openShareRefund(
  manager: EntityManager,
  payment: Payment,
  appointmentIds: string[] | 'all',
  reason: string,
  amount?: Money,
): Promise<Refund | null> {
  const items = await manager.getRepository(PaymentItem).find({
    where: {
      paymentId: payment.id,
      refundId: IsNull(),
      ...(appointmentIds === 'all' ? {} : { appointmentId: In(appointmentIds) }),
    },
  });
  if (items.length === 0) return null;
  const minor = amount?.minor ?? items.reduce((sum, item) => sum + item.amountMinor, 0);
  const refunds = manager.getRepository(Refund);
  const refund = await refunds.save(
    refunds.create({
      paymentId: payment.id,
      appointmentId: items.length === 1 ? items[0].appointmentId : null,
      amountMinor: minor,
      currency: amount?.currency ?? payment.currency,
      status: RefundStatus.Pending,
      reason,
    }),
  );
  await manager.getRepository(PaymentItem).update(
    {
      paymentId: payment.id,
      appointmentId: In(items.map((item) => item.appointmentId)),
      refundId: IsNull(),
    },
    { refundId: refund.id },
  );
  await recordJobs(manager, [issueRefundJob.with({ refundId: refund.id })]);
  return refund;
}

/** Whether an occurrence's share was captured and has not been refunded (or asked back). */
export async function isShareCaptured(
  manager: EntityManager,
  appointmentId: string,
): Promise<boolean> {
  return manager.getRepository(PaymentItem).exists({
    where: { appointmentId, refundId: IsNull(), payment: { status: PaymentStatus.Captured } },
  });
}

export interface ReportedSeriesCapture {
  id: string;
  status: string;
  amount?: PayPalMoney;
}

/**
 * A capture of a series payment: every covered occurrence still pending_payment is
 * confirmed, and the shares of those no longer payable go back in one partial refund; when
 * none is payable the whole capture goes back.
 */
export async function settleSeriesCapture(
  manager: EntityManager,
  paymentId: string,
  capture: ReportedSeriesCapture,
): Promise<CaptureOutcome> {
  const { payment, appointments } = await lockSeriesPayment(manager, paymentId);
  const payable = appointments.filter((a) => a.status === AppointmentStatus.PendingPayment);
  const captured = readMoney(capture.amount);
  const expected = { minor: payment.amountMinor, currency: payment.currency };
  const outcome = captureOutcome({
    paymentStatus: payment.status,
    captureRecorded: payment.providerCaptureId === capture.id,
    captureStatus: capture.status,
    // The series holds its slots while any occurrence is still waiting for this payment.
    appointmentStatus:
      payable.length > 0 ? AppointmentStatus.PendingPayment : AppointmentStatus.Expired,
    otherOpenPayment: false,
    captured,
    expected,
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
    const events: DomainEvent[] = [
      {
        type: EventType.PaymentCaptured,
        payload: { paymentId: payment.id, appointmentId: payable[0].id },
      },
    ];
    for (const appointment of payable) {
      await applyTransition(
        manager,
        appointment,
        AppointmentStatus.Confirmed,
        null,
        'payment captured',
        { holdExpiresAt: null },
      );
      events.push({
        type: EventType.AppointmentConfirmed,
        payload: { appointmentId: appointment.id },
      });
    }
    await recordEvents(manager, events);
    const lost = appointments.filter((a) => !payable.includes(a));
    if (lost.length > 0)
      await openShareRefund(
        manager,
        payment,
        lost.map((a) => a.id),
        'captured after these occurrences were no longer held',
      );
  } else if (outcome === 'refund' && captured) {
    await payments.update(
      { id: payment.id },
      { status: PaymentStatus.Captured, providerCaptureId: capture.id, capturedAt: new Date() },
    );
    await openShareRefund(
      manager,
      payment,
      'all',
      'captured when no occurrence of the series was held any more',
      captured,
    );
  } else if (outcome === 'mismatch' && captured) {
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
    await openShareRefund(manager, payment, 'all', reason, captured);
    logger.error(
      `Series payment ${payment.id}: PayPal capture ${capture.id} ${reason}; nothing is confirmed and the capture is being refunded`,
    );
  } else if (outcome === 'fail') {
    await payments.update(
      { id: payment.id },
      { status: PaymentStatus.Failed, failureReason: `capture ${capture.status.toLowerCase()}` },
    );
  }
  return outcome;
}

/**
 * Marks one of our refunds of a series payment completed, once; the payment becomes refunded
 * only when everything captured has gone back (a failed one stays failed, flagged).
 */
export async function completeSeriesRefund(
  manager: EntityManager,
  paymentId: string,
  done: { refundId: string; providerRefundId: string | null },
): Promise<boolean> {
  const locked = await lockSeriesPayment(manager, paymentId);
  const refund = await manager.getRepository(Refund).findOne({
    where: { id: done.refundId, paymentId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!refund || refund.status !== RefundStatus.Pending) return false;
  await markSeriesRefunded(manager, locked, refund, done.providerRefundId);
  return true;
}

/**
 * A PAYMENT.CAPTURE.REFUNDED of a series payment: completes the pending refund it reports
 * (by PayPal's refund id, else by its sum); a report of a refund already recorded changes
 * nothing. Refunds made at PayPal itself are not tracked for series. Answers why nothing
 * changed, or null.
 */
export async function settleSeriesReportedRefund(
  manager: EntityManager,
  paymentId: string,
  reported: { providerRefundId: string; amount?: PayPalMoney },
): Promise<string | null> {
  const locked = await lockSeriesPayment(manager, paymentId);
  const refunds = manager.getRepository(Refund);
  const known = await refunds.findOne({
    where: { paymentId, providerRefundId: reported.providerRefundId },
  });
  if (known?.status === RefundStatus.Completed) return null;
  const pending = await refunds.find({
    where: { paymentId, status: RefundStatus.Pending },
    order: { createdAt: 'ASC' },
    lock: { mode: 'pessimistic_write' },
  });
  const amount = readMoney(reported.amount);
  const ours =
    pending.find((r) => r.providerRefundId === reported.providerRefundId) ??
    pending.find(
      (r) =>
        !r.providerRefundId &&
        amount !== null &&
        r.amountMinor === amount.minor &&
        r.currency === amount.currency,
    );
  if (!ours)
    return `a refund of ${amount ? describeMoney(amount) : 'an unreadable amount'} of a series payment made at PayPal is not tracked`;
  await markSeriesRefunded(manager, locked, ours, reported.providerRefundId);
  return null;
}

async function markSeriesRefunded(
  manager: EntityManager,
  { payment, items }: LockedSeriesPayment,
  refund: Refund,
  providerRefundId: string | null,
): Promise<void> {
  const now = new Date();
  const refunds = manager.getRepository(Refund);
  await refunds.update(
    { id: refund.id },
    {
      status: RefundStatus.Completed,
      providerRefundId: providerRefundId ?? refund.providerRefundId,
      completedAt: now,
    },
  );
  const completed = await refunds.find({
    where: { paymentId: payment.id, status: RefundStatus.Completed },
  });
  const back = completed.reduce((sum, r) => sum + r.amountMinor, 0);
  if (back >= payment.amountMinor || payment.status === PaymentStatus.Failed) {
    const status =
      payment.status === PaymentStatus.Failed ? PaymentStatus.Failed : PaymentStatus.Refunded;
    await manager
      .getRepository(Payment)
      .update({ id: payment.id, refundedAt: IsNull() }, { status, refundedAt: now });
  }
  const about =
    refund.appointmentId ??
    items.find((item) => item.refundId === refund.id)?.appointmentId ??
    items[0]?.appointmentId;
  if (about)
    await recordEvents(manager, [
      {
        type: EventType.RefundIssued,
        payload: { paymentId: payment.id, appointmentId: about, refundId: refund.id },
      },
    ]);
}

function sameIds(a: PaymentItem[], b: PaymentItem[]): boolean {
  const ids = (items: PaymentItem[]) =>
    items
      .map((item) => item.appointmentId)
      .sort()
      .join();
  return ids(a) === ids(b);
}

function readMoney(amount: PayPalMoney | undefined): Money | null {
  if (!amount) return null;
  try {
    return toMinorMoney(amount);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Covered appointments that can still take this payment (their hold runs). */
export function payableOccurrences(appointments: Appointment[], now = new Date()): Appointment[] {
  return appointments.filter(
    (a) =>
      a.status === AppointmentStatus.PendingPayment &&
      (a.holdExpiresAt === null || a.holdExpiresAt.getTime() > now.getTime()),
  );
}
