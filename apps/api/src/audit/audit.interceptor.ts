import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { AuthUser } from '@app/auth';
import { isUuid } from '@app/common';
import { AuditTrail } from '@app/core';
import { AuditOutcome } from '@app/database';
import { isIdempotentReplay } from '../idempotency/idempotency.interceptor';
import { auditContextOf } from './audit-context.decorator';
import { auditOutcomeOf } from './audit-outcome';
import { AUDIT, AuditSpec } from './audited.decorator';

/**
 * Writes the audit rows of attempts that changed nothing: reads, denials and failures (the
 * change, if any, rolled back). A change's allowed row is its use case's, in its transaction.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly trail: AuditTrail,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec>(AUDIT, context.getHandler());
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: AuthUser; params: Record<string, string> }>();
    const paramId = isUuid(request.params?.id ?? '') ? request.params.id : null;
    const write = (outcome: AuditOutcome, resourceId: string | null) =>
      this.write(spec, outcome, resourceId, request);
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        // A replayed answer ran no use case, so its change wrote no row for this attempt.
        if (spec.change && !isIdempotentReplay(request)) return body;
        const bodyId = (body as { id?: unknown } | null)?.id;
        const answerId = typeof bodyId === 'string' ? bodyId : null;
        await write(
          AuditOutcome.Allowed,
          spec.idFrom === 'response' ? answerId : (paramId ?? answerId),
        );
        return body;
      }),
      catchError((error: unknown) => {
        const outcome = auditOutcomeOf(error);
        if (!outcome) return throwError(() => error);
        return from(write(outcome, paramId)).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }

  /** The answer stands even when its row cannot be written: the loss is logged instead. */
  private async write(
    spec: AuditSpec,
    outcome: AuditOutcome,
    resourceId: string | null,
    request: FastifyRequest & { user?: AuthUser },
  ): Promise<void> {
    const entry = {
      ...auditContextOf(request),
      action: spec.action,
      resourceType: spec.resourceType,
      resourceId,
      outcome,
    };
    try {
      await this.trail.recordAlone(entry);
    } catch (error) {
      this.logger.error(
        `Audit row not written (${spec.action} ${outcome} ${resourceId ?? '-'}): ${(error as Error).message}`,
      );
    }
  }
}
