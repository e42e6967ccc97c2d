import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

export const AUTH_RATE_LIMIT = 'app:auth-rate-limit';

/** How an auth route's tight limit is counted: by client IP, or by IP and submitted email. */
export type AuthRateLimitKey = 'ip' | 'ip+email';

/**
 * Puts the route under RATE_LIMIT_AUTH_PER_MINUTE, counted for this route alone, instead
 * of the general RATE_LIMIT_PER_MINUTE.
 */
export const AuthRateLimit = (key: AuthRateLimitKey = 'ip') => SetMetadata(AUTH_RATE_LIMIT, key);

export function authRateLimitOf(
  reflector: Reflector,
  context: ExecutionContext,
): AuthRateLimitKey | undefined {
  return reflector.getAllAndOverride<AuthRateLimitKey | undefined>(AUTH_RATE_LIMIT, [
    context.getHandler(),
    context.getClass(),
  ]);
}
