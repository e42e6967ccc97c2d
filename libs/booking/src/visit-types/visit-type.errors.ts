import { DomainError, ErrorCode, NotFoundError } from '@app/common';

export class VisitTypeNotFoundError extends NotFoundError {
  constructor() {
    super('Visit type');
  }
}

export class LastVisitTypeError extends DomainError {
  constructor() {
    super(
      ErrorCode.LAST_VISIT_TYPE,
      'This is your last active visit type; add another before archiving it',
    );
  }
}

export class InvalidVisitTypeError extends DomainError {
  constructor(detail = 'This doctor offers no active visit type with this id') {
    super(ErrorCode.INVALID_VISIT_TYPE, detail);
  }
}
