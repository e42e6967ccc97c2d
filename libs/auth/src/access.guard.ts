import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, ErrorCode, isUnavailableError } from '@app/common';
import { UserRole } from '@app/database';
import type { AuthUser } from './auth-user';
import { ROLES } from './decorators';
import { IS_PUBLIC } from './public.decorator';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';

/** Global and default-closed: every route needs a valid token unless it is @Public(). */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimit: RateLimitGuard,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    try {
      await super.canActivate(context);
      const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets) ?? [];
      const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
      if (roles.length > 0 && !roles.includes(user.role)) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'Your role may not use this operation');
      }
      return true;
    } catch (error) {
      // A refused request never reaches the rate-limit guard: count it here (by IP when no
      // user was found), so token guessing is limited too and a 429 wins over the 401/403.
      await this.rateLimit.canActivate(context);
      throw error;
    }
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false): TUser {
    // The user lookup failed, not the token: 503, so clients keep their session.
    if (isUnavailableError(error)) throw error;
    if (error || !user) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'A valid access token is required');
    }
    return user;
  }
}
