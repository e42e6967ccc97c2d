import { AppointmentStatus, PaymentStatus } from '@app/database';
import { PayPalOrder } from '../paypal';
import { CaptureFacts, captureOutcome, isPayable, reconcileStep } from './payment-rules';

describe('payment rules', () => {
  describe(isPayable.name, () => {
    const now = new Date('2030-01-01T10:00:00Z');

    it('accepts a pending_payment appointment whose hold runs', () => {
      expect(
        isPayable(
          {
            status: AppointmentStatus.PendingPayment,
            holdExpiresAt: new Date('2030-01-01T10:05:00Z'),
          },
          now,
        ),
      ).toBe(true);
    });

    it('refuses an expired hold, even before the sweep marks it expired', () => {
      expect(
        isPayable(
          {
            status: AppointmentStatus.PendingPayment,
            holdExpiresAt: new Date('2030-01-01T10:00:00Z'),
          },
          now,
        ),
      ).toBe(false);
    });

    it.each([
      AppointmentStatus.Confirmed,
      AppointmentStatus.Expired,
      AppointmentStatus.Cancelled,
      AppointmentStatus.Rescheduled,
    ])('refuses a %s appointment', (status) => {
      expect(isPayable({ status, holdExpiresAt: new Date('2030-01-01T11:00:00Z') }, now)).toBe(
        false,
      );
    });
  });

  describe(captureOutcome.name, () => {
    const facts = (overrides: Partial<CaptureFacts>): CaptureFacts => ({
      paymentStatus: PaymentStatus.Approved,
      captureRecorded: false,
      captureStatus: 'COMPLETED',
      appointmentStatus: AppointmentStatus.PendingPayment,
      otherOpenPayment: false,
      ...overrides,
    });

    it('confirms a completed capture while the slot is held', () => {
      expect(captureOutcome(facts({}))).toBe('confirm');
      expect(captureOutcome(facts({ paymentStatus: PaymentStatus.Created }))).toBe('confirm');
    });

    it.each([
      AppointmentStatus.Expired,
      AppointmentStatus.Cancelled,
      AppointmentStatus.Rescheduled,
    ])('refunds money that lands when the appointment is %s', (appointmentStatus) => {
      expect(captureOutcome(facts({ appointmentStatus }))).toBe('refund');
    });

    it('refunds money on a failed payment whose appointment has another open payment', () => {
      expect(
        captureOutcome(facts({ paymentStatus: PaymentStatus.Failed, otherOpenPayment: true })),
      ).toBe('refund');
      expect(captureOutcome(facts({ paymentStatus: PaymentStatus.Failed }))).toBe('confirm');
    });

    it('changes nothing for a capture already recorded, or a payment already settled', () => {
      expect(
        captureOutcome(facts({ captureRecorded: true, paymentStatus: PaymentStatus.Failed })),
      ).toBe('none');
      expect(captureOutcome(facts({ paymentStatus: PaymentStatus.Captured }))).toBe('none');
      expect(
        captureOutcome(
          facts({
            paymentStatus: PaymentStatus.Refunded,
            appointmentStatus: AppointmentStatus.Cancelled,
          }),
        ),
      ).toBe('none');
    });

    it('fails a declined capture and waits on a pending one', () => {
      expect(captureOutcome(facts({ captureStatus: 'DECLINED' }))).toBe('fail');
      expect(captureOutcome(facts({ captureStatus: 'FAILED' }))).toBe('fail');
      expect(
        captureOutcome(facts({ captureStatus: 'DECLINED', paymentStatus: PaymentStatus.Failed })),
      ).toBe('none');
      expect(captureOutcome(facts({ captureStatus: 'PENDING' }))).toBe('wait');
    });
  });

  describe(reconcileStep.name, () => {
    const order = (
      status: PayPalOrder['status'],
      captures: PayPalOrder['purchaseUnits'][number]['captures'] = [],
    ): PayPalOrder => ({
      id: 'ORDER1',
      status,
      purchaseUnits: [{ captures }],
      links: [],
    });
    const capture = (id: string, status: string) => ({
      id,
      status: status as 'COMPLETED',
      amount: { currencyCode: 'USD', value: '45.00' },
    });

    it('settles a completed order from its capture that moved money', () => {
      const completed = order('COMPLETED', [
        capture('C-DECLINED', 'DECLINED'),
        capture('C-OK', 'COMPLETED'),
      ]);
      expect(reconcileStep(completed, false)).toEqual({
        kind: 'settle',
        captureId: 'C-OK',
        captureStatus: 'COMPLETED',
      });
    });

    it('captures an approved order only while the appointment is payable', () => {
      expect(reconcileStep(order('APPROVED'), true)).toEqual({ kind: 'capture' });
      expect(reconcileStep(order('APPROVED'), false).kind).toBe('fail');
    });

    it('fails a voided order, and an unapproved one once the hold is over', () => {
      expect(reconcileStep(order('VOIDED'), true).kind).toBe('fail');
      expect(reconcileStep(order('PAYER_ACTION_REQUIRED'), true)).toEqual({ kind: 'wait' });
      expect(reconcileStep(order('CREATED'), false).kind).toBe('fail');
    });
  });
});
