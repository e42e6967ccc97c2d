import { createHash } from 'node:crypto';
import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { DomainError, ERROR_STATUS, ErrorCode, ValidationError } from '@app/common';
import { IdempotencyKey, IdempotencyState } from '@app/database';

const KEY = /^[\x21-\x7e]{1,255}$/;
const TTL_MS = 24 * 3600 * 1000;

interface StoredError {
  code: ErrorCode;
  message: string;
  details: DomainError['details'];
}

/**
 * Stores the first answer to a keyed request (successes and 4xx domain errors) and replays
 * it for the same user, key and request; 5xx answers are not stored so a retry can succeed.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || !request.user) return next.handle();
    if (typeof header !== 'string' || !KEY.test(header)) {
      return throwError(() =>
        ValidationError.field('Idempotency-Key', 'must be 1-255 visible ASCII characters'),
      );
    }
    const userId = request.user.id;
    const requestHash = createHash('sha256')
      .update(
        `${request.method} ${request.url.split('?')[0]}\n${JSON.stringify(request.body ?? null)}`,
      )
      .digest('hex');
    const successStatus =
      this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);

    return from(this.claim(userId, header, requestHash)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay')
          return claim.error ? throwError(() => claim.error) : of(claim.body);
        return next.handle().pipe(
          mergeMap(async (body) => {
            await this.complete(claim.id, successStatus, body);
            return body;
          }),
          catchError((error: unknown) =>
            from(this.fail(claim.id, error)).pipe(mergeMap(() => throwError(() => error))),
          ),
        );
      }),
    );
  }

  private async claim(
    userId: string,
    key: string,
    requestHash: string,
  ): Promise<
    { kind: 'new'; id: string } | { kind: 'replay'; body?: unknown; error?: DomainError }
  > {
    const repo = this.db.getRepository(IdempotencyKey);
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_progress', now() + make_interval(secs => $4))
       ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, state = 'in_progress',
         response_status = NULL, response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at < now()
       RETURNING id`,
      [userId, key, requestHash, TTL_MS / 1000],
    );
    if (inserted.length > 0) return { kind: 'new', id: inserted[0].id };
    const existing = await repo.findOneOrFail({ where: { userId, key } });
    if (existing.requestHash !== requestHash) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was already used with a different request',
      );
    }
    if (existing.state === IdempotencyState.InProgress) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_IN_PROGRESS,
        'The first request with this Idempotency-Key is still running',
        {
          retryAfterSeconds: 1,
        },
      );
    }
    if ((existing.responseStatus ?? 200) >= 400) {
      const stored = existing.responseBody as StoredError;
      return {
        kind: 'replay',
        error: new DomainError(stored.code, stored.message, stored.details),
      };
    }
    return { kind: 'replay', body: existing.responseBody };
  }

  private async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.db.getRepository(IdempotencyKey).update(
      { id },
      {
        state: IdempotencyState.Completed,
        responseStatus: status,
        responseBody: (body ?? null) as never,
      },
    );
  }

  private async fail(id: string, error: unknown): Promise<void> {
    const status = error instanceof DomainError ? ERROR_STATUS[error.code] : 500;
    if (error instanceof DomainError && status < 500) {
      const stored: StoredError = {
        code: error.code,
        message: error.message,
        details: error.details,
      };
      await this.db.getRepository(IdempotencyKey).update(
        { id },
        {
          state: IdempotencyState.Completed,
          responseStatus: status,
          responseBody: stored as never,
        },
      );
      return;
    }
    // Not stored: the client may retry with the same key.
    await this.db.getRepository(IdempotencyKey).delete({ id });
  }
}
