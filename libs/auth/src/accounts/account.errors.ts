import { DomainError, ErrorCode } from '@app/common';

export class EmailTakenError extends DomainError {
  constructor() {
    super(ErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
  }
}

/** One message for an unknown email and a wrong password, so accounts cannot be enumerated. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super(ErrorCode.UNAUTHENTICATED, 'Invalid email or password');
  }
}

export class AccountDeactivatedError extends DomainError {
  constructor() {
    super(ErrorCode.UNAUTHENTICATED, 'This account is deactivated');
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor() {
    super(ErrorCode.UNAUTHENTICATED, 'The refresh token is invalid, expired or revoked');
  }
}

export class InvalidOneTimeTokenError extends DomainError {
  constructor() {
    super(ErrorCode.INVALID_TOKEN, 'The link is invalid, expired or already used');
  }
}

export class CannotDeactivateSelfError extends DomainError {
  constructor() {
    super(ErrorCode.CONFLICT, 'Administrators cannot deactivate their own account');
  }
}

export class AccountErasedError extends DomainError {
  constructor() {
    super(ErrorCode.CONFLICT, 'An erased account cannot be reactivated');
  }
}

export class CannotEraseSelfError extends DomainError {
  constructor() {
    super(ErrorCode.CONFLICT, 'Administrators cannot erase their own account');
  }
}

/** Erasing one's own account asks for the password again: a stolen token is not enough. */
export class WrongPasswordError extends DomainError {
  constructor() {
    super(ErrorCode.FORBIDDEN, 'The password is not correct');
  }
}
