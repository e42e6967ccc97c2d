import { DomainError, ErrorCode, NotFoundError } from '@app/common';

export class PaymentNotFoundError extends NotFoundError {
  constructor() {
    super('Payment');
  }
}

/** The appointment (or the payment) is in no state to take money. */
export class PaymentNotPayableError extends DomainError {
  constructor(detail: string) {
    super(ErrorCode.PAYMENT_NOT_PAYABLE, detail);
  }
}

/** PayPal did not vouch for a webhook delivery: it is refused and nothing is stored. */
export class WebhookNotVerifiedError extends DomainError {
  constructor() {
    super(
      ErrorCode.WEBHOOK_NOT_VERIFIED,
      'The webhook signature could not be verified with PayPal',
    );
  }
}
