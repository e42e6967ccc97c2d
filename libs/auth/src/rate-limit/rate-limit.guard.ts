import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable } from '@nestjs/common';
import {
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import type { AuthUser } from '../auth-user';
import { authRateLimitOf } from './rate-limit.decorator';

const UNLIMITED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/** The throttler of the per-IP ceiling on @AuthRateLimit('ip+email') routes (login). */
export const AUTH_IP_CEILING = 'auth-ip';

interface HttpRequest {
  ip: string;
  url: string;
  body?: unknown;
  user?: AuthUser;
}

/**
 * RATE_LIMIT_PER_MINUTE per user (or per IP when anonymous) across all routes;
 * RATE_LIMIT_AUTH_PER_MINUTE per route on @AuthRateLimit() routes, plus the per-IP
 * ceiling on IP + email routes. Runs after the access guard, so the signed-in user is
 * known; the access guard calls it itself for the requests it refuses.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return UNLIMITED_PATHS.test(context.switchToHttp().getRequest<HttpRequest>().url);
  }

  protected override handleRequest(props: ThrottlerRequest): Promise<boolean> {
    if (props.throttler.name !== AUTH_IP_CEILING) return super.handleRequest(props);
    return super.handleRequest({ ...props, getTracker: (req) => this.ipTracker(req) });
  }

  protected override async getTracker(
    req: Record<string, unknown>,
    context?: ExecutionContext,
  ): Promise<string> {
    const authKey = context ? authRateLimitOf(this.reflector, context) : undefined;
    if (authKey === 'ip+email') {
      const email = fieldOf(req.body, 'email');
      const normalized = typeof email === 'string' ? email.trim().toLowerCase() : '';
      return `${this.ipTracker(req)}|email:${normalized}`;
    }
    const userId = fieldOf(req.user, 'id');
    if (!authKey && typeof userId === 'string') return `user:${userId}`;
    return this.ipTracker(req);
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    // Hashed: trackers may hold an email, which has no business in Redis keys.
    const digest = createHash('sha256').update(tracker).digest('hex');
    if (!authRateLimitOf(this.reflector, context)) return `${name}:all:${digest}`;
    return `${name}:${context.getClass().name}.${context.getHandler().name}:${digest}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // Only the default throttler writes a plain Retry-After; the ceiling's 429 needs one too.
    this.setResponseHeader(
      context.switchToHttp().getResponse(),
      'Retry-After',
      detail.timeToBlockExpire,
    );
    return super.throwThrottlingException(context, detail);
  }

  private ipTracker(req: Record<string, unknown>): string {
    const ip = typeof req.ip === 'string' ? req.ip : '';
    return `ip:${normalizeIp(ip, this.ipv6SubnetPrefix)}`;
  }
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}
