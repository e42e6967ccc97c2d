import { formatMoney, Money } from '@app/common';
import { Appointment, AppointmentStatus, PaymentStatus } from '@app/database';
import {
  PayPalCaptureStatus,
  PayPalMoney,
  PayPalOrder,
  PayPalOrderStatus,
  selectCapture,
} from '../paypal';

/** Payments still waiting for their money. */
export const AWAITING_CAPTURE: readonly PaymentStatus[] = [
  PaymentStatus.Created,
  PaymentStatus.Approved,
];

/** The statuses the one-open-payment-per-appointment index counts. */
export const OPEN_PAYMENT: readonly PaymentStatus[] = [...AWAITING_CAPTURE, PaymentStatus.Captured];

/** Capture statuses meaning the buyer's money reached us (a refund later does not undo that). */
const MONEY_MOVED: ReadonlySet<string> = new Set([
  PayPalCaptureStatus.COMPLETED,
  PayPalCaptureStatus.PARTIALLY_REFUNDED,
  PayPalCaptureStatus.REFUNDED,
]);

export function isAwaitingCapture(status: PaymentStatus): boolean {
  return AWAITING_CAPTURE.includes(status);
}

/** A new payment or a capture is accepted only while the appointment's hold runs. */
export function isPayable(
  appointment: Pick<Appointment, 'status' | 'holdExpiresAt'>,
  now = new Date(),
): boolean {
  if (appointment.status !== AppointmentStatus.PendingPayment) return false;
  return appointment.holdExpiresAt === null || appointment.holdExpiresAt.getTime() > now.getTime();
}

export interface CaptureFacts {
  paymentStatus: PaymentStatus;
  /** The payment already records this capture (a second report of it changes nothing). */
  captureRecorded: boolean;
  captureStatus: string;
  appointmentStatus: AppointmentStatus;
  /** Another payment of the appointment is open (matters only for a payment that had failed). */
  otherOpenPayment: boolean;
  /** What PayPal reports it captured; null when the report carries no readable amount. */
  captured: Money | null;
  /** What the payment asked for (payments.amount_minor and currency). */
  expected: Money;
}

/**
 * confirm: the payment is captured and the appointment confirmed; refund: money moved but
 * can no longer pay for the appointment, so it goes back; mismatch: PayPal captured another
 * sum or currency than the payment's, so it pays for nothing, goes back and is flagged;
 * fail: PayPal declined; wait: the capture is pending at PayPal, or its amount is unknown
 * (reconciliation re-reads the order, which always carries it); none: nothing to change.
 */
export type CaptureOutcome = 'confirm' | 'refund' | 'mismatch' | 'fail' | 'wait' | 'none';

export function sameMoney(a: Money, b: Money): boolean {
  return a.minor === b.minor && a.currency === b.currency;
}

/** "45.00 USD" */
export function describeMoney(money: Money): string {
  const { amount, currency } = formatMoney(money);
  return `${amount} ${currency}`;
}

/** The failure_reason of a payment whose capture took another sum than it asked for. */
export function mismatchReason(captured: Money, expected: Money): string {
  return `captured amount ${describeMoney(captured)} does not match ${describeMoney(expected)}`;
}

/** What a capture reported by PayPal does to our records, whichever report comes first. */
export function captureOutcome(facts: CaptureFacts): CaptureOutcome {
  if (facts.captureRecorded) return 'none';
  if (
    facts.paymentStatus === PaymentStatus.Captured ||
    facts.paymentStatus === PaymentStatus.Refunded
  )
    return 'none';
  if (MONEY_MOVED.has(facts.captureStatus)) {
    if (!facts.captured) return 'wait';
    // Whatever the appointment's state, a wrong sum never pays for it.
    if (!sameMoney(facts.captured, facts.expected)) return 'mismatch';
    const slotStillHeld = facts.appointmentStatus === AppointmentStatus.PendingPayment;
    const canTakeIt = facts.paymentStatus !== PaymentStatus.Failed || !facts.otherOpenPayment;
    return slotStillHeld && canTakeIt ? 'confirm' : 'refund';
  }
  if (facts.captureStatus === PayPalCaptureStatus.PENDING) return 'wait';
  return facts.paymentStatus === PaymentStatus.Failed ? 'none' : 'fail';
}

/**
 * How a refund PayPal reports (PAYMENT.CAPTURE.REFUNDED) relates to our records. ours: the
 * refund we opened (its sum, or no sum given); full: a refund made at PayPal itself of the
 * whole payment; partial: of less; unmatched: of no readable sum, another currency or more.
 */
export type ReportedRefundKind = 'ours' | 'full' | 'partial' | 'unmatched';

export function reportedRefundKind(facts: {
  reported: Money | null;
  /** Our live refund of the payment, if any. */
  ours: Money | null;
  paid: Money;
}): ReportedRefundKind {
  const { reported, ours, paid } = facts;
  if (ours) return !reported || sameMoney(reported, ours) ? 'ours' : 'partial';
  if (!reported || reported.currency !== paid.currency) return 'unmatched';
  if (reported.minor === paid.minor) return 'full';
  return reported.minor < paid.minor ? 'partial' : 'unmatched';
}

/**
 * A full refund made at PayPal of the payment a confirmed appointment stands on cancels the
 * appointment if it has not started; one that started (or is over) keeps its status, and a
 * payment that paid for nothing (failed) takes nothing with it.
 */
export function cancelsOnRefundAtPayPal(
  paymentStatus: PaymentStatus,
  appointment: Pick<Appointment, 'status' | 'startsAt'>,
  now = new Date(),
): boolean {
  return (
    paymentStatus === PaymentStatus.Captured &&
    appointment.status === AppointmentStatus.Confirmed &&
    appointment.startsAt.getTime() > now.getTime()
  );
}

export type ReconcileStep =
  | { kind: 'settle'; captureId: string; captureStatus: string; amount: PayPalMoney }
  | { kind: 'capture' }
  | { kind: 'fail'; reason: string }
  | { kind: 'wait' };

/** How a payment stuck in created/approved is settled from its order as PayPal shows it. */
export function reconcileStep(order: PayPalOrder, payable: boolean): ReconcileStep {
  switch (order.status) {
    case PayPalOrderStatus.COMPLETED: {
      const capture = selectCapture(order);
      return capture
        ? {
            kind: 'settle',
            captureId: capture.id,
            captureStatus: capture.status,
            amount: capture.amount,
          }
        : { kind: 'wait' };
    }
    case PayPalOrderStatus.APPROVED:
      return payable
        ? { kind: 'capture' }
        : { kind: 'fail', reason: 'approved after the hold ended; not captured' };
    case PayPalOrderStatus.VOIDED:
      return { kind: 'fail', reason: 'the order was voided at PayPal' };
    default:
      return payable
        ? { kind: 'wait' }
        : { kind: 'fail', reason: 'the order was not approved before the hold ended' };
  }
}
