import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { AuthUser } from '@app/auth';
import { DomainError, ErrorCode, isUuid } from '@app/common';
import { AuditOutcome } from '@app/database';
import { AuditService } from './audit.service';
import { AUDIT, AuditSpec } from './audited.decorator';

const DENIED = new Set([ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED]);

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec>(AUDIT, context.getHandler());
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: AuthUser; params: Record<string, string> }>();
    const paramId = isUuid(request.params?.id ?? '') ? request.params.id : null;
    const write = (outcome: AuditOutcome, resourceId: string | null) =>
      this.audit.record({
        actorId: request.user?.id ?? null,
        action: spec.action,
        resourceType: spec.resourceType,
        resourceId,
        outcome,
        ip: request.ip ?? null,
        requestId: String(request.id),
      });
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const bodyId = (body as { id?: unknown } | null)?.id;
        const answerId = typeof bodyId === 'string' ? bodyId : null;
        await write(
          AuditOutcome.Allowed,
          spec.idFrom === 'response' ? answerId : (paramId ?? answerId),
        );
        return body;
      }),
      catchError((error: unknown) => {
        if (error instanceof DomainError && DENIED.has(error.code)) {
          return from(write(AuditOutcome.Denied, paramId)).pipe(
            mergeMap(() => throwError(() => error)),
          );
        }
        return throwError(() => error);
      }),
    );
  }
}
