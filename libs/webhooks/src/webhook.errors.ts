import { NotFoundError, ValidationError } from '@app/common';

export class WebhookNotFoundError extends NotFoundError {
  constructor() {
    super('Webhook');
  }
}

export class WebhookDeliveryNotFoundError extends NotFoundError {
  constructor() {
    super('Webhook delivery');
  }
}

/** The target URL breaks the outbound rules (scheme, private address). */
export class WebhookUrlRefusedError extends ValidationError {
  constructor(reason: string) {
    super(`url: ${reason}`, [{ field: 'url', message: reason }]);
  }
}
