import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard } from '@nestjs/throttler';
import type { AuthUser } from '../auth-user';
import { authRateLimitOf } from './rate-limit.decorator';

const UNLIMITED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

interface HttpRequest {
  ip: string;
  url: string;
  body?: unknown;
  user?: AuthUser;
}

/**
 * RATE_LIMIT_PER_MINUTE per user (or per IP when anonymous) across all routes;
 * RATE_LIMIT_AUTH_PER_MINUTE per route on @AuthRateLimit() routes. Runs after the
 * access guard, so the signed-in user is known.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return UNLIMITED_PATHS.test(context.switchToHttp().getRequest<HttpRequest>().url);
  }

  protected override async getTracker(
    req: Record<string, unknown>,
    context?: ExecutionContext,
  ): Promise<string> {
    const request = req as unknown as HttpRequest;
    const authKey = context ? authRateLimitOf(this.reflector, context) : undefined;
    const ip = normalizeIp(request.ip, this.ipv6SubnetPrefix);
    if (authKey === 'ip+email') {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return `ip:${ip}|email:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    }
    if (!authKey && request.user) return `user:${request.user.id}`;
    return `ip:${ip}`;
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    // Hashed: trackers may hold an email, which has no business in Redis keys.
    const digest = createHash('sha256').update(tracker).digest('hex');
    if (!authRateLimitOf(this.reflector, context)) return `${name}:all:${digest}`;
    return `${name}:${context.getClass().name}.${context.getHandler().name}:${digest}`;
  }
}
