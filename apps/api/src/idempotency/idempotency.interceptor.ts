import { createHash } from 'node:crypto';
import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyRequest } from 'fastify';
import { catchError, defer, finalize, from, mergeMap, Observable, of, throwError } from 'rxjs';
import type { AuthUser } from '@app/auth';
import { DomainError, ERROR_STATUS, ErrorCode, ValidationError } from '@app/common';
import { ClaimOutcome, IdempotencyClaim, IdempotencyRecords } from '@app/core';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Requests answered from a stored answer: their handler did not run. */
const replays = new WeakSet<object>();

export function isIdempotentReplay(request: object): boolean {
  return replays.has(request);
}

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
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly records: IdempotencyRecords,
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
    const requestHash = createHash('sha256')
      .update(
        `${request.method} ${request.url.split('?')[0]}\n${JSON.stringify(request.body ?? null)}`,
      )
      .digest('hex');
    const successStatus =
      this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);

    return from(this.records.claim(request.user.id, header, requestHash)).pipe(
      mergeMap((outcome) =>
        outcome.kind === 'claimed'
          ? this.run(outcome.claim, next, successStatus)
          : this.answer(request, outcome),
      ),
    );
  }

  /** Runs the handler under the claim, renewing its lease until the handler answers. */
  private run(
    claim: IdempotencyClaim,
    next: CallHandler,
    successStatus: number,
  ): Observable<unknown> {
    return defer(() => {
      const stopRenewing = this.records.keepAlive(claim);
      return next.handle().pipe(
        mergeMap(async (body) => {
          stopRenewing();
          await this.store(claim, () => this.records.complete(claim, successStatus, body));
          return body;
        }),
        catchError((error: unknown) => {
          stopRenewing();
          return from(this.fail(claim, error)).pipe(mergeMap(() => throwError(() => error)));
        }),
        // Also when the subscriber goes away without an answer.
        finalize(stopRenewing),
      );
    });
  }

  private answer(
    request: object,
    outcome: Exclude<ClaimOutcome, { kind: 'claimed' }>,
  ): Observable<unknown> {
    switch (outcome.kind) {
      case 'reused':
        return throwError(
          () =>
            new DomainError(
              ErrorCode.IDEMPOTENCY_KEY_REUSED,
              'This Idempotency-Key was already used with a different request',
            ),
        );
      case 'in_progress':
        return throwError(
          () =>
            new DomainError(
              ErrorCode.IDEMPOTENCY_IN_PROGRESS,
              'The first request with this Idempotency-Key is still running',
              { retryAfterSeconds: 1 },
            ),
        );
      case 'completed': {
        replays.add(request);
        if (outcome.status < 400) return of(outcome.body);
        const stored = outcome.body as StoredError;
        return throwError(() => new DomainError(stored.code, stored.message, stored.details));
      }
    }
  }

  private async fail(claim: IdempotencyClaim, error: unknown): Promise<void> {
    const status = error instanceof DomainError ? ERROR_STATUS[error.code] : 500;
    if (error instanceof DomainError && status < 500) {
      const stored: StoredError = {
        code: error.code,
        message: error.message,
        details: error.details,
      };
      await this.store(claim, () => this.records.complete(claim, status, stored));
      return;
    }
    // Not stored: the client may retry with the same key.
    await this.store(claim, async () => {
      await this.records.release(claim);
      return true;
    });
  }

  /**
   * The handler's answer stands even if it cannot be recorded: the claim then lapses with
   * its lease and a retry runs the request again.
   */
  private async store(claim: IdempotencyClaim, write: () => Promise<boolean>): Promise<void> {
    try {
      if (!(await write())) {
        this.logger.warn(`Idempotency claim ${claim.id} was taken over before it completed`);
      }
    } catch (error) {
      this.logger.error(`Idempotency answer not recorded: ${(error as Error).message}`);
    }
  }
}
