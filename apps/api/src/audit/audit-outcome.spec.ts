import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError, ErrorCode, NotFoundError, ValidationError } from '@app/common';
import { AuditOutcome } from '@app/database';
import { auditOutcomeOf } from './audit-outcome';

describe(auditOutcomeOf.name, () => {
  it.each([ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED])(
    'calls %s denied',
    (code) => {
      expect(auditOutcomeOf(new DomainError(code, 'no'))).toBe(AuditOutcome.Denied);
    },
  );

  it.each([
    ErrorCode.INVALID_TRANSITION,
    ErrorCode.SLOT_TAKEN,
    ErrorCode.TOO_EARLY,
    ErrorCode.TOO_LATE_TO_CHANGE,
    ErrorCode.NOT_A_SLOT,
    ErrorCode.PATIENT_BUSY,
    ErrorCode.PAYMENT_NOT_PAYABLE,
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
  ])('calls %s failed', (code) => {
    expect(auditOutcomeOf(new DomainError(code, 'no'))).toBe(AuditOutcome.Failed);
  });

  it('calls validation failed and maps HTTP exceptions by status', () => {
    expect(auditOutcomeOf(ValidationError.field('startsAt', 'must be a date'))).toBe(
      AuditOutcome.Failed,
    );
    expect(auditOutcomeOf(new NotFoundError('Appointment'))).toBe(AuditOutcome.Denied);
    expect(auditOutcomeOf(new BadRequestException())).toBe(AuditOutcome.Failed);
    expect(auditOutcomeOf(new NotFoundException())).toBe(AuditOutcome.Denied);
  });

  it('gives no outcome for server errors', () => {
    expect(auditOutcomeOf(new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, 'down'))).toBeNull();
    expect(auditOutcomeOf(new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'down'))).toBeNull();
    expect(auditOutcomeOf(new Error('boom'))).toBeNull();
  });
});
