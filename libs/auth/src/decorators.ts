import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblems } from '@app/common';
import { UserRole } from '@app/database';
import type { AuthUser } from './auth-user';

export const ROLES = 'app:roles';
export const BEARER_SCHEME = 'bearer';
/** `?ticket=` of `GET /notifications/stream`, for EventSource, which cannot send headers. */
export const STREAM_TICKET_SCHEME = 'streamTicket';

/**
 * Requires a valid access token (and one of `roles`, when given) and documents the
 * bearer scheme with its 401/403 answers. Routes are closed even without it.
 */
export function Auth(...roles: UserRole[]) {
  const forbidden: [403, string][] =
    roles.length > 0 ? [[403, `FORBIDDEN: only for ${roles.join(', ')}`]] : [];
  return applyDecorators(
    SetMetadata(ROLES, roles),
    ApiBearerAuth(BEARER_SCHEME),
    ApiProblems([401, 'UNAUTHENTICATED: missing, invalid or expired access token'], ...forbidden),
  );
}

/** The authenticated user of the request. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
