import { DomainError, ErrorCode, NotFoundError } from '@app/common';
import { SlotRefusal } from '../slots/slot.service';

export class SlotTakenError extends DomainError {
  constructor() {
    super(ErrorCode.SLOT_TAKEN, 'Someone else holds or booked this slot; pick another one');
  }
}

export class PatientBusyError extends DomainError {
  constructor() {
    super(ErrorCode.PATIENT_BUSY, 'You already have a live appointment overlapping this time');
  }
}

export class NotASlotError extends DomainError {
  constructor(detail = 'This time is not a bookable slot of that doctor') {
    super(ErrorCode.NOT_A_SLOT, detail);
  }
}

export class TooEarlyError extends DomainError {
  constructor() {
    super(ErrorCode.TOO_EARLY, 'This can only be done after the appointment has started');
  }
}

export class TooLateToChangeError extends DomainError {
  constructor(detail = 'This appointment has already started and can no longer be changed') {
    super(ErrorCode.TOO_LATE_TO_CHANGE, detail);
  }
}

export class AppointmentNotFoundError extends NotFoundError {
  constructor() {
    super('Appointment');
  }
}

const OVERLAP_CONSTRAINTS: Record<string, () => DomainError> = {
  appointments_doctor_no_overlap: () => new SlotTakenError(),
  appointments_patient_no_overlap: () => new PatientBusyError(),
};

/** Turns the exclusion-constraint violation (SQLSTATE 23P01) into the domain error. */
export function overlapError(error: unknown): DomainError | null {
  const e = error as {
    driverError?: { code?: string; constraint?: string };
    code?: string;
    constraint?: string;
  };
  const driver = e?.driverError ?? e;
  if (driver?.code !== '23P01') return null;
  return (OVERLAP_CONSTRAINTS[driver.constraint ?? ''] ?? (() => new SlotTakenError()))();
}

/** The error for a start the slot service refused: busy (an outside calendar) is taken, 409. */
export function refusalError(refusal: SlotRefusal): DomainError {
  return refusal === SlotRefusal.Busy ? new SlotTakenError() : new NotASlotError();
}
