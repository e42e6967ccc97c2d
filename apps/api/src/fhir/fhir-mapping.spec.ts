import { AppointmentStatus } from '@app/database';
import { fhirStatus, parseSlotId, slotId } from './fhir-mapping';
import { problemToOutcome } from './operation-outcome';
import { ErrorCode } from '@app/common';

describe('FHIR mapping', () => {
  it('maps every status as SPEC §6 says', () => {
    const mapped = Object.fromEntries(
      Object.values(AppointmentStatus).map((status) => [status, fhirStatus(status)]),
    );
    expect(mapped).toEqual({
      pending_approval: 'pending',
      pending_payment: 'pending',
      confirmed: 'booked',
      completed: 'fulfilled',
      cancelled: 'cancelled',
      declined: 'cancelled',
      expired: 'cancelled',
      rescheduled: 'cancelled',
      no_show: 'noshow',
    });
  });

  it('gives a start a stable Slot id and reads it back', () => {
    const type = '9b4c3c1e-7f7a-4d0e-8a51-3f9c2a6b1d22';
    const start = new Date('2027-03-01T09:30:00Z');
    expect(slotId(type, start)).toBe(`${type}.1803893400`);
    expect(parseSlotId(slotId(type, start))).toEqual({ visitTypeId: type, startsAt: start });
    expect(parseSlotId(`${type.toUpperCase()}.1803893400`)?.visitTypeId).toBe(type);
    for (const bad of ['', type, `${type}.`, `${type}.x`, `${type}.1.2`, 'nonsense.1803893400'])
      expect(parseSlotId(bad)).toBeNull();
  });

  it('turns a problem into an OperationOutcome with the code and one issue per field', () => {
    const outcome = problemToOutcome({
      type: 'https://doctor-appointment.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: 'answers.symptoms: an answer is required',
      code: ErrorCode.VALIDATION_FAILED,
      errors: [{ field: 'answers.symptoms', message: 'an answer is required' }],
    });
    expect(outcome.issue).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'invalid',
        details: expect.objectContaining({
          coding: [expect.objectContaining({ code: 'VALIDATION_FAILED' })],
        }),
      }),
      expect.objectContaining({ code: 'invalid', expression: ['answers.symptoms'] }),
    ]);
    const codes = [401, 403, 404, 409, 422, 429, 500].map(
      (status) =>
        problemToOutcome({ type: '', title: '', status, detail: '', code: ErrorCode.INTERNAL })
          .issue[0].code,
    );
    expect(codes).toEqual([
      'security',
      'security',
      'not-found',
      'conflict',
      'invalid',
      'throttled',
      'exception',
    ]);
  });
});
