import { DomainError, ErrorCode } from '@app/common';
import { AppointmentStatus, LIVE_APPOINTMENT_STATUSES } from '@app/database';

const S = AppointmentStatus;

/** Every allowed transition; anything else is refused. */
export const TRANSITIONS: Readonly<Record<AppointmentStatus, readonly AppointmentStatus[]>> = {
  [S.PendingApproval]: [S.PendingPayment, S.Confirmed, S.Declined, S.Cancelled, S.Rescheduled],
  [S.PendingPayment]: [S.Confirmed, S.Expired, S.Cancelled, S.Rescheduled],
  [S.Confirmed]: [S.Completed, S.NoShow, S.Cancelled, S.Rescheduled],
  [S.Completed]: [],
  [S.NoShow]: [],
  [S.Expired]: [],
  [S.Cancelled]: [],
  [S.Rescheduled]: [],
  [S.Declined]: [],
};

export function canTransition(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export class InvalidTransitionError extends DomainError {
  constructor(from: AppointmentStatus, to: AppointmentStatus) {
    super(ErrorCode.INVALID_TRANSITION, `An appointment that is ${from} cannot become ${to}`, {
      from,
      to,
    });
  }
}

export function assertTransition(from: AppointmentStatus, to: AppointmentStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}

export function isLive(status: AppointmentStatus): boolean {
  return LIVE_APPOINTMENT_STATUSES.some((live) => live === status);
}

/**
 * Every status an appointment can have held on its way to `status`, `status` included.
 * The machine only moves forward (no status is held twice), so an appointment's history
 * rows with these `to_status` values are exactly the ones up to its arrival at `status`.
 */
export function statusesThrough(status: AppointmentStatus): AppointmentStatus[] {
  const reaches = (from: AppointmentStatus): boolean =>
    TRANSITIONS[from].some((next) => next === status || reaches(next));
  return [...Object.values(S).filter(reaches), status];
}
