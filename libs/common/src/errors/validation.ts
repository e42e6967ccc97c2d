import { ValidationError as ClassValidatorError } from 'class-validator';
import { FieldError, ValidationError } from './domain-error';

function flatten(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, '$1 is not allowed'),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** ValidationPipe exceptionFactory: class-validator errors → VALIDATION_FAILED with errors[]. */
export function validationExceptionFactory(errors: ClassValidatorError[]): ValidationError {
  const fieldErrors = flatten(errors);
  const detail = fieldErrors.map((e) => e.message).join('; ') || 'Request is invalid';
  return new ValidationError(detail, fieldErrors);
}
