import { Injectable } from '@nestjs/common';
import {
  checkOutboundUrl,
  OutboundError,
  type OutboundPolicy,
  resolveOutboundHost,
} from '@app/common';
import { AppConfig } from '@app/config';
import { WebhookUrlRefusedError } from './webhook.errors';

/** The outbound rules for webhook targets: https, public addresses (unless allowed). */
@Injectable()
export class WebhookTarget {
  /** One object for the process: the helper keeps one connection pool per policy. */
  readonly policy: OutboundPolicy;

  constructor(config: AppConfig) {
    this.policy = { allowPrivate: config.outbound.allowPrivate, httpsOnly: true };
  }

  /** At create and update: refuses what a delivery would refuse, with a 400. */
  async check(url: string): Promise<void> {
    try {
      const parsed = checkOutboundUrl(url, this.policy);
      if (!this.policy.allowPrivate) {
        await resolveOutboundHost(parsed.hostname.replace(/^\[|\]$/g, ''), this.policy);
      }
    } catch (error) {
      if (error instanceof OutboundError) throw new WebhookUrlRefusedError(error.message);
      throw error;
    }
  }
}
