import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboundError, outboundFetch } from '@app/common';
import { AppConfig } from '@app/config';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from '@app/database';
import { type PlannedJob, recordJobs } from '@app/queues';
import { webhookDisabledNoticeJob } from './jobs/webhook-disabled-notice.job';
import { WEBHOOK_TEST_EVENT } from './webhook-events';
import { WebhookSecrets } from './webhook-secrets';
import { signWebhook } from './webhook-signature';
import { WebhookTarget } from './webhook-target';

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped';

const DAY_MS = 86_400_000;
/** Receivers answer with a status; their bodies are not read past this. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Which attempt of which delivery (the job's data). */
export interface DeliveryAttempt {
  deliveryId: string;
  round: number;
}

/** The job that makes attempt `round` at `at` (given by the job's handler: no import cycle). */
export type NextAttempt = (round: number, at: Date) => PlannedJob;

type DeliveryChanges = Partial<
  Pick<
    WebhookDelivery,
    | 'attempts'
    | 'lastStatusCode'
    | 'lastError'
    | 'lastAttemptAt'
    | 'status'
    | 'succeededAt'
    | 'nextAttemptAt'
    | 'round'
  >
>;

interface Attempt {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/**
 * One attempt of one delivery: sign, POST, record the outcome. A failure records the next
 * attempt as an outbox job with its backoff in the same transaction as the outcome, so
 * `nextAttemptAt` and the job that honours it exist together.
 */
@Injectable()
export class DeliverWebhook {
  private readonly logger = new Logger(DeliverWebhook.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: WebhookSecrets,
    private readonly target: WebhookTarget,
    private readonly config: AppConfig,
  ) {}

  async execute(data: DeliveryAttempt, nextAttempt: NextAttempt): Promise<DeliveryOutcome> {
    const delivery = await this.db
      .getRepository(WebhookDelivery)
      .findOne({ where: { id: data.deliveryId } });
    if (!delivery || delivery.round !== data.round) return 'skipped';
    if (delivery.status !== WebhookDeliveryStatus.Pending) return 'skipped';
    const endpoint = await this.db.getRepository(WebhookEndpoint).findOne({
      where: { id: delivery.endpointId },
      select: {
        id: true,
        url: true,
        enabled: true,
        secretCiphertext: true,
        previousSecretCiphertext: true,
        previousSecretExpiresAt: true,
      },
    });
    if (!endpoint) return 'skipped';
    if (!endpoint.enabled && delivery.type !== WEBHOOK_TEST_EVENT) {
      const refused = { ok: false, statusCode: null, error: 'endpoint disabled' };
      return this.record(data, refused, null);
    }
    const attempt = await this.send(endpoint, delivery);
    return this.record(data, attempt, nextAttempt);
  }

  /** The sweeper gave the work up (its jobs kept failing): the delivery is failed. */
  async abandon(data: DeliveryAttempt, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = $2, last_error = $3, next_attempt_at = NULL
        WHERE id = $1 AND round = $4 AND status = $5`,
      [
        data.deliveryId,
        WebhookDeliveryStatus.Failed,
        reason,
        data.round,
        WebhookDeliveryStatus.Pending,
      ],
    );
  }

  private async send(endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<Attempt> {
    const secrets = [this.secrets.open(endpoint.secretCiphertext)];
    if (
      endpoint.previousSecretCiphertext &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt.getTime() > Date.now()
    ) {
      secrets.push(this.secrets.open(endpoint.previousSecretCiphertext));
    }
    const body = JSON.stringify(delivery.payload);
    const headers = signWebhook(secrets, delivery.eventId, new Date(), body);
    try {
      const answer = await outboundFetch(
        endpoint.url,
        this.target.policy,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'user-agent': 'doctor-appointment-webhooks/1',
          },
          body,
        },
        { maxBodyBytes: MAX_ANSWER_BYTES },
      );
      const ok = answer.status >= 200 && answer.status < 300;
      return { ok, statusCode: answer.status, error: ok ? null : `HTTP ${answer.status}` };
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      return { ok: false, statusCode: null, error: error.message };
    }
  }

  private async record(
    data: DeliveryAttempt,
    attempt: Attempt,
    nextAttempt: NextAttempt | null,
  ): Promise<DeliveryOutcome> {
    const outcome = await this.db.transaction(async (manager) => {
      const delivery = await manager.getRepository(WebhookDelivery).findOne({
        where: { id: data.deliveryId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!delivery) return 'skipped' as const;
      const now = new Date();
      const changes: DeliveryChanges = {
        attempts: delivery.attempts + 1,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        lastAttemptAt: now,
      };
      // A redelivery asked for meanwhile owns the schedule now: only note this attempt.
      const current = delivery.round === data.round;
      let outcome: DeliveryOutcome = 'skipped';
      if (current && attempt.ok) {
        Object.assign(changes, {
          status: WebhookDeliveryStatus.Succeeded,
          succeededAt: now,
          nextAttemptAt: null,
        });
        outcome = 'succeeded';
      } else if (current) {
        const next = nextAttempt ? this.nextAttemptAt(delivery, now) : null;
        if (nextAttempt && next) {
          Object.assign(changes, { round: delivery.round + 1, nextAttemptAt: next });
          await recordJobs(manager, [nextAttempt(delivery.round + 1, next)]);
          outcome = 'retrying';
        } else {
          Object.assign(changes, { status: WebhookDeliveryStatus.Failed, nextAttemptAt: null });
          outcome = 'failed';
        }
      }
      await manager.getRepository(WebhookDelivery).update({ id: delivery.id }, changes);
      if (delivery.type !== WEBHOOK_TEST_EVENT && attempt.error !== 'endpoint disabled') {
        await this.trackEndpoint(manager, delivery.endpointId, attempt.ok, now);
      }
      return outcome;
    });
    if (!attempt.ok) {
      this.logger.warn({
        msg: 'Webhook attempt failed',
        deliveryId: data.deliveryId,
        round: data.round,
        error: attempt.error,
        outcome,
      });
    }
    return outcome;
  }

  /** The backoff schedule, the last wait repeating, until WEBHOOK_RETRY_DAYS after the event. */
  private nextAttemptAt(delivery: WebhookDelivery, now: Date): Date | null {
    const schedule = this.config.webhooks.retryScheduleSeconds;
    const deadline = delivery.createdAt.getTime() + this.config.webhooks.retryDays * DAY_MS;
    if (now.getTime() >= deadline) return null;
    const wait = schedule[Math.min(delivery.attempts, schedule.length - 1)] * 1000;
    return new Date(Math.min(now.getTime() + wait, deadline));
  }

  /** An endpoint whose every attempt failed for WEBHOOK_RETRY_DAYS is switched off. */
  private async trackEndpoint(
    manager: EntityManager,
    endpointId: string,
    ok: boolean,
    now: Date,
  ): Promise<void> {
    if (ok) {
      await manager.query(
        `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
        [endpointId],
      );
      return;
    }
    // An UPDATE through TypeORM answers [rows, affected].
    const [rows]: [{ justDisabled: boolean }[], number] = await manager.query(
      `UPDATE webhook_endpoints
          SET failing_since = coalesce(failing_since, $2),
              enabled = CASE WHEN enabled AND failing_since <= $2 - make_interval(days => $3)
                             THEN false ELSE enabled END,
              auto_disabled_at = CASE WHEN enabled AND failing_since <= $2 - make_interval(days => $3)
                                      THEN $2 ELSE auto_disabled_at END
        WHERE id = $1
        RETURNING id, auto_disabled_at = $2 AS "justDisabled"`,
      [endpointId, now, this.config.webhooks.retryDays],
    );
    if (rows[0]?.justDisabled) {
      await recordJobs(manager, [
        webhookDisabledNoticeJob.with({ endpointId, disabledAt: now.toISOString() }),
      ]);
      this.logger.warn({ msg: 'Webhook endpoint disabled after failing for days', endpointId });
    }
  }
}
