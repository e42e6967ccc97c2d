import { DomainError, ErrorCode, NotFoundError } from '@app/common';

export class DoctorNotFoundError extends NotFoundError {
  constructor() {
    super('Doctor');
  }
}

export class SpecialtyExistsError extends DomainError {
  constructor(name: string) {
    super(ErrorCode.SPECIALTY_EXISTS, `A specialty named "${name}" already exists`);
  }
}

export class WaitlistDuplicateError extends DomainError {
  constructor() {
    super(
      ErrorCode.WAITLIST_DUPLICATE,
      'You already wait for this doctor over the same dates; leave that entry to change it',
    );
  }
}

/** SQLSTATE and constraint name of a PostgreSQL error, wherever TypeORM put them. */
export function postgresError(error: unknown): { code?: string; constraint?: string } | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as {
    driverError?: { code?: string; constraint?: string };
    code?: string;
    constraint?: string;
  };
  const driver = e.driverError ?? e;
  return typeof driver.code === 'string' ? driver : null;
}
