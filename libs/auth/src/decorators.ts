import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDetails } from '@app/common';
import { UserRole } from '@app/database';
import type { AuthUser } from './auth-user';

export const ROLES = 'app:roles';
export const BEARER_SCHEME = 'bearer';

/**
 * Requires a valid access token (and one of `roles`, when given) and documents the
 * bearer scheme with its 401/403 answers. Routes are closed even without it.
 */
export function Auth(...roles: UserRole[]) {
  const decorators = [
    SetMetadata(ROLES, roles),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({
      description: 'Missing, invalid or expired access token',
      type: ProblemDetails,
    }),
  ];
  if (roles.length > 0) {
    decorators.push(
      ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}`, type: ProblemDetails }),
    );
  }
  return applyDecorators(...decorators);
}

/** The authenticated user of the request. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
