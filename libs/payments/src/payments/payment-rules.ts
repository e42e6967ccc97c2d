import { Appointment, AppointmentStatus, PaymentStatus } from '@app/database';
import { PayPalCaptureStatus, PayPalOrder, PayPalOrderStatus, selectCapture } from '../paypal';

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
}

/**
 * confirm: the payment is captured and the appointment confirmed; refund: money moved but
 * can no longer pay for the appointment, so it goes back; fail: PayPal declined; wait: the
 * capture is pending at PayPal; none: nothing to change.
 */
export type CaptureOutcome = 'confirm' | 'refund' | 'fail' | 'wait' | 'none';

/** What a capture reported by PayPal does to our records, whichever report comes first. */
export function captureOutcome(facts: CaptureFacts): CaptureOutcome {
  if (facts.captureRecorded) return 'none';
  if (
    facts.paymentStatus === PaymentStatus.Captured ||
    facts.paymentStatus === PaymentStatus.Refunded
  )
    return 'none';
  if (MONEY_MOVED.has(facts.captureStatus)) {
    const slotStillHeld = facts.appointmentStatus === AppointmentStatus.PendingPayment;
    const canTakeIt = facts.paymentStatus !== PaymentStatus.Failed || !facts.otherOpenPayment;
    return slotStillHeld && canTakeIt ? 'confirm' : 'refund';
  }
  if (facts.captureStatus === PayPalCaptureStatus.PENDING) return 'wait';
  return facts.paymentStatus === PaymentStatus.Failed ? 'none' : 'fail';
}

export type ReconcileStep =
  | { kind: 'settle'; captureId: string; captureStatus: string }
  | { kind: 'capture' }
  | { kind: 'fail'; reason: string }
  | { kind: 'wait' };

/** How a payment stuck in created/approved is settled from its order as PayPal shows it. */
export function reconcileStep(order: PayPalOrder, payable: boolean): ReconcileStep {
  switch (order.status) {
    case PayPalOrderStatus.COMPLETED: {
      const capture = selectCapture(order);
      return capture
        ? { kind: 'settle', captureId: capture.id, captureStatus: capture.status }
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
