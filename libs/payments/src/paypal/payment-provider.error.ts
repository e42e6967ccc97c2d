import { DomainError, ErrorCode } from '@app/common';

export interface PaymentProviderErrorInit {
  /** What we asked PayPal for, e.g. "capture order". */
  operation: string;
  /** Why it failed, in a few words ("timed out after 10000 ms", "HTTP 503"). */
  reason: string;
  httpStatus?: number;
  /** PayPal's error name, e.g. UNPROCESSABLE_ENTITY. */
  name?: string;
  /** PayPal's details[0].issue, e.g. INSTRUMENT_DECLINED. */
  issue?: string;
  debugId?: string;
  /** Network errors, timeouts, 429 and 5xx: the same call may succeed later. */
  retryable: boolean;
}

/**
 * PayPal could not do what we asked (unreachable, slow, or it refused). The api answers
 * 502 PAYMENT_PROVIDER_ERROR; the message names the operation and PayPal's debug id, never
 * credentials or tokens.
 */
export class PaymentProviderError extends DomainError {
  readonly operation: string;
  readonly httpStatus?: number;
  readonly issue?: string;
  readonly debugId?: string;
  readonly retryable: boolean;

  constructor(init: PaymentProviderErrorInit, options?: { cause?: unknown }) {
    super(ErrorCode.PAYMENT_PROVIDER_ERROR, PaymentProviderError.describe(init), {
      provider: 'paypal',
      operation: init.operation,
      httpStatus: init.httpStatus,
      issue: init.issue,
      debugId: init.debugId,
      retryable: init.retryable,
    });
    if (options && 'cause' in options) this.cause = options.cause;
    this.operation = init.operation;
    this.httpStatus = init.httpStatus;
    this.issue = init.issue;
    this.debugId = init.debugId;
    this.retryable = init.retryable;
  }

  private static describe(init: PaymentProviderErrorInit): string {
    const parts = [`PayPal ${init.operation} failed: ${init.reason}`];
    if (init.name) parts.push(init.name);
    if (init.issue) parts.push(`issue ${init.issue}`);
    if (init.debugId) parts.push(`debug_id ${init.debugId}`);
    return parts.join(', ');
  }
}
