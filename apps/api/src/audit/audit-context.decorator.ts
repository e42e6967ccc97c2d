import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '@app/auth';
import type { AuditContext as RequestAuditContext } from '@app/core';

export type AuditContext = RequestAuditContext;

/** Who made the request, from where, and its id: the same for every audit row it writes. */
export function auditContextOf(request: FastifyRequest & { user?: AuthUser }): AuditContext {
  return {
    actorId: request.user?.id ?? null,
    ip: request.ip ?? null,
    requestId: String(request.id),
  };
}

/** The request's `AuditContext`, for a use case that audits its change in its transaction. */
export const AuditContext = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuditContext =>
    auditContextOf(ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>()),
);
