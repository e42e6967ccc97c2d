import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdempotencyKey, IdempotencyState } from '@app/database';

/** How long a key and its stored answer are kept (SPEC §5). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/**
 * How long an in_progress claim stays locked without a renewal. It only bounds how soon a
 * retry recovers a claim whose process died: a running request renews it, so it need not
 * outlast the slowest request.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 30;
/** A third of the lease: two renewals may fail (a database blip) before the claim lapses. */
const RENEW_EVERY_MS = (IDEMPOTENCY_LEASE_SECONDS * 1000) / 3;

/** The right to run a keyed request; its id changes on every takeover, so it fences. */
export interface IdempotencyClaim {
  readonly id: string;
}

export type ClaimOutcome =
  | { kind: 'claimed'; claim: IdempotencyClaim }
  /** Another request holds a live claim on the key. */
  | { kind: 'in_progress' }
  /** The key was used with another request. */
  | { kind: 'reused' }
  | { kind: 'completed'; status: number; body: unknown };

/** The `idempotency_keys` table: claims on (user, key) and the answers they stored. */
@Injectable()
export class IdempotencyRecords {
  private readonly logger = new Logger(IdempotencyRecords.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims the key, or reports what holds it. An expired key (any request) or a lapsed
   * lease (the same request) is taken over in the same UPSERT, whose row lock lets only one
   * of several concurrent takers win.
   */
  async claim(userId: string, key: string, requestHash: string): Promise<ClaimOutcome> {
    // A row deleted between the UPSERT and the read (its request failed) is claimed again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const claimed: { id: string }[] = await this.db.query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, state, locked_until, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5),
           now() + make_interval(secs => $6))
         ON CONFLICT (user_id, key) DO UPDATE SET id = gen_random_uuid(),
           request_hash = EXCLUDED.request_hash, state = $4, response_status = NULL,
           response_body = NULL, created_at = now(), locked_until = EXCLUDED.locked_until,
           expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at < now()
           OR (idempotency_keys.state = $4 AND idempotency_keys.locked_until < now()
             AND idempotency_keys.request_hash = EXCLUDED.request_hash)
         RETURNING id`,
        [
          userId,
          key,
          requestHash,
          IdempotencyState.InProgress,
          IDEMPOTENCY_LEASE_SECONDS,
          IDEMPOTENCY_TTL_SECONDS,
        ],
      );
      if (claimed.length > 0) return { kind: 'claimed', claim: { id: claimed[0].id } };

      const existing = await this.db.getRepository(IdempotencyKey).findOne({
        where: { userId, key },
        select: { requestHash: true, state: true, responseStatus: true, responseBody: true },
      });
      if (!existing) continue;
      if (existing.requestHash !== requestHash) return { kind: 'reused' };
      if (existing.state === IdempotencyState.InProgress) return { kind: 'in_progress' };
      return {
        kind: 'completed',
        status: existing.responseStatus ?? 200,
        body: existing.responseBody,
      };
    }
    return { kind: 'in_progress' };
  }

  /** Extends the lease; false when the claim was completed, released or taken over. */
  async renew(claim: IdempotencyClaim): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .update(IdempotencyKey)
      .set({ lockedUntil: () => `now() + interval '${IDEMPOTENCY_LEASE_SECONDS} seconds'` })
      .where('id = :id AND state = :state', { id: claim.id, state: IdempotencyState.InProgress })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Renews the lease in the background until the returned function is called. */
  keepAlive(claim: IdempotencyClaim): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(() => {
        this.renew(claim).then(
          (held) => {
            if (held) schedule();
            else if (!stopped) this.logger.warn(`Idempotency claim ${claim.id} was lost`);
          },
          (error: Error) => {
            this.logger.warn(`Idempotency lease not renewed: ${error.message}`);
            schedule();
          },
        );
      }, RENEW_EVERY_MS);
      timer.unref();
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Stores the answer to replay; false when the claim was taken over meanwhile. */
  async complete(claim: IdempotencyClaim, status: number, body: unknown): Promise<boolean> {
    const result = await this.db.getRepository(IdempotencyKey).update(
      { id: claim.id, state: IdempotencyState.InProgress },
      {
        state: IdempotencyState.Completed,
        responseStatus: status,
        responseBody: (body ?? null) as never,
        lockedUntil: null,
      },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Gives the key up without an answer, so a retry runs the request again. */
  async release(claim: IdempotencyClaim): Promise<void> {
    await this.db
      .getRepository(IdempotencyKey)
      .delete({ id: claim.id, state: IdempotencyState.InProgress });
  }
}
