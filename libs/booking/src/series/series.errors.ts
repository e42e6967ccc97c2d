import { DomainError, ErrorCode, NotFoundError } from '@app/common';

/** Why one occurrence of a series cannot be booked. */
export type OccurrenceConflictCode =
  ErrorCode.SLOT_TAKEN | ErrorCode.NOT_A_SLOT | ErrorCode.PATIENT_BUSY;

export interface OccurrenceConflict {
  startsAt: string;
  code: OccurrenceConflictCode;
}

/** Some occurrences are not bookable: every one is listed, and nothing was booked. */
export class SeriesConflictError extends DomainError {
  constructor(readonly conflicts: OccurrenceConflict[]) {
    super(
      ErrorCode.SERIES_CONFLICT,
      `${conflicts.length} occurrence${conflicts.length === 1 ? '' : 's'} of the series cannot be booked; nothing was booked`,
      { extensions: { conflicts } },
    );
  }
}

export class SeriesNotFoundError extends NotFoundError {
  constructor() {
    super('Appointment series');
  }
}
