import { AppointmentStatus } from '@app/database';
import {
  assertTransition,
  canTransition,
  InvalidTransitionError,
  isLive,
  statusesThrough,
  TRANSITIONS,
} from './appointment-status';

const S = AppointmentStatus;
const ALL = Object.values(AppointmentStatus);

describe('appointment status machine', () => {
  const allowed: [AppointmentStatus, AppointmentStatus][] = [
    [S.PendingApproval, S.PendingPayment],
    [S.PendingApproval, S.Confirmed],
    [S.PendingApproval, S.Declined],
    [S.PendingApproval, S.Cancelled],
    [S.PendingApproval, S.Rescheduled],
    [S.PendingPayment, S.Confirmed],
    [S.PendingPayment, S.Expired],
    [S.PendingPayment, S.Cancelled],
    [S.PendingPayment, S.Rescheduled],
    [S.Confirmed, S.Completed],
    [S.Confirmed, S.NoShow],
    [S.Confirmed, S.Cancelled],
    [S.Confirmed, S.Rescheduled],
  ];

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  const refused = ALL.flatMap((from) =>
    ALL.map((to) => [from, to] as [AppointmentStatus, AppointmentStatus]),
  ).filter(([from, to]) => !allowed.some(([f, t]) => f === from && t === to));

  it.each(refused)('refuses %s → %s with INVALID_TRANSITION', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(InvalidTransitionError);
    try {
      assertTransition(from, to);
    } catch (error) {
      expect((error as InvalidTransitionError).code).toBe('INVALID_TRANSITION');
    }
  });

  it('covers all 81 pairs and has final states with no way out', () => {
    expect(allowed.length + refused.length).toBe(81);
    for (const final of [
      S.Completed,
      S.NoShow,
      S.Expired,
      S.Cancelled,
      S.Rescheduled,
      S.Declined,
    ]) {
      expect(TRANSITIONS[final]).toEqual([]);
    }
  });

  it('lists the statuses held on the way to each status, never one after it', () => {
    expect(statusesThrough(S.PendingApproval)).toEqual([S.PendingApproval]);
    expect(statusesThrough(S.PendingPayment)).toEqual([S.PendingApproval, S.PendingPayment]);
    expect(statusesThrough(S.Confirmed)).toEqual([
      S.PendingApproval,
      S.PendingPayment,
      S.Confirmed,
    ]);
    expect(statusesThrough(S.Cancelled)).toEqual([
      S.PendingApproval,
      S.PendingPayment,
      S.Confirmed,
      S.Cancelled,
    ]);
    expect(statusesThrough(S.Expired)).toEqual([S.PendingApproval, S.PendingPayment, S.Expired]);
    expect(statusesThrough(S.Declined)).toEqual([S.PendingApproval, S.Declined]);
    for (const status of ALL) {
      for (const later of TRANSITIONS[status]) {
        expect(statusesThrough(status)).not.toContain(later);
      }
    }
  });

  it('calls only pending_approval, pending_payment and confirmed live', () => {
    expect(ALL.filter(isLive)).toEqual([S.PendingApproval, S.PendingPayment, S.Confirmed]);
  });
});
