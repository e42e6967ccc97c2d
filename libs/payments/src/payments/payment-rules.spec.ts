import { AppointmentStatus, PaymentStatus } from '@app/database';
import { PayPalOrder } from '../paypal';
import {
  cancelsOnRefundAtPayPal,
  CaptureFacts,
  captureOutcome,
  isPayable,
  mismatchReason,
  reconcileStep,
  reportedRefundKind,
} from './payment-rules';

const usd = (minor: number) => ({ minor, currency: 'USD' });

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
      captured: usd(4500),
      expected: usd(4500),
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

    it.each([
      ['less', usd(4000)],
      ['more', usd(5000)],
      ['another currency', { minor: 4500, currency: 'EUR' }],
    ])('flags a capture of %s than the payment, whatever the appointment', (_label, captured) => {
      expect(captureOutcome(facts({ captured }))).toBe('mismatch');
      expect(
        captureOutcome(facts({ captured, appointmentStatus: AppointmentStatus.Expired })),
      ).toBe('mismatch');
      expect(
        captureOutcome(
          facts({ captured, paymentStatus: PaymentStatus.Failed, otherOpenPayment: true }),
        ),
      ).toBe('mismatch');
      expect(captureOutcome(facts({ captured, captureStatus: 'REFUNDED' }))).toBe('mismatch');
    });

    it('decides nothing on a capture that reports no amount', () => {
      expect(captureOutcome(facts({ captured: null }))).toBe('wait');
    });

    it('does not look at the amount of a capture already recorded or declined', () => {
      expect(captureOutcome(facts({ captured: usd(1), captureRecorded: true }))).toBe('none');
      expect(captureOutcome(facts({ captured: null, captureStatus: 'DECLINED' }))).toBe('fail');
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

  describe(mismatchReason.name, () => {
    it('names both sums, for the payment row and the log', () => {
      expect(mismatchReason(usd(4000), usd(4500))).toBe(
        'captured amount 40.00 USD does not match 45.00 USD',
      );
      expect(mismatchReason({ minor: 4500, currency: 'JPY' }, usd(4500))).toBe(
        'captured amount 4500 JPY does not match 45.00 USD',
      );
    });
  });

  describe(reportedRefundKind.name, () => {
    const paid = usd(4500);

    it('matches the refund we opened by its sum', () => {
      expect(reportedRefundKind({ reported: usd(4000), ours: usd(4000), paid })).toBe('ours');
      expect(reportedRefundKind({ reported: null, ours: usd(4500), paid })).toBe('ours');
      expect(reportedRefundKind({ reported: usd(1000), ours: usd(4500), paid })).toBe('partial');
    });

    it('tells a full refund made at PayPal from a partial or unreadable one', () => {
      expect(reportedRefundKind({ reported: usd(4500), ours: null, paid })).toBe('full');
      expect(reportedRefundKind({ reported: usd(1500), ours: null, paid })).toBe('partial');
      expect(reportedRefundKind({ reported: null, ours: null, paid })).toBe('unmatched');
      expect(
        reportedRefundKind({ reported: { minor: 4500, currency: 'EUR' }, ours: null, paid }),
      ).toBe('unmatched');
      expect(reportedRefundKind({ reported: usd(9000), ours: null, paid })).toBe('unmatched');
    });
  });

  describe(cancelsOnRefundAtPayPal.name, () => {
    const now = new Date('2030-01-01T10:00:00Z');
    const later = new Date('2030-01-02T10:00:00Z');
    const earlier = new Date('2030-01-01T09:50:00Z');

    it('cancels a confirmed appointment that has not started', () => {
      expect(
        cancelsOnRefundAtPayPal(
          PaymentStatus.Captured,
          { status: AppointmentStatus.Confirmed, startsAt: later },
          now,
        ),
      ).toBe(true);
    });

    it.each([
      ['that started', PaymentStatus.Captured, AppointmentStatus.Confirmed, earlier],
      ['that is completed', PaymentStatus.Captured, AppointmentStatus.Completed, earlier],
      ['that was a no-show', PaymentStatus.Captured, AppointmentStatus.NoShow, earlier],
      ['already cancelled', PaymentStatus.Captured, AppointmentStatus.Cancelled, later],
      ['paid by another payment', PaymentStatus.Failed, AppointmentStatus.Confirmed, later],
    ])('leaves an appointment %s', (_label, paymentStatus, status, startsAt) => {
      expect(cancelsOnRefundAtPayPal(paymentStatus, { status, startsAt }, now)).toBe(false);
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
        amount: { currencyCode: 'USD', value: '45.00' },
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
