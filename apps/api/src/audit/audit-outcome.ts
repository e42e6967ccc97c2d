import { HttpException } from '@nestjs/common';
import { DomainError, ERROR_STATUS } from '@app/common';
import { AuditOutcome } from '@app/database';

/** Answers that refuse because the caller may not see or touch the resource. */
const DENIED_STATUSES = new Set([401, 403, 404]);

/**
 * The outcome of an attempt that ended in `error`: denied or failed for a refusal (4xx);
 * null for a server error, which is no outcome of the action (it is logged with the request id).
 */
export function auditOutcomeOf(error: unknown): AuditOutcome | null {
  const status =
    error instanceof DomainError
      ? ERROR_STATUS[error.code]
      : error instanceof HttpException
        ? error.getStatus()
        : 500;
  if (status < 400 || status >= 500) return null;
  return DENIED_STATUSES.has(status) ? AuditOutcome.Denied : AuditOutcome.Failed;
}
