import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisService } from '@app/queues';
import { HIT_SCRIPT } from './hit-script';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const toSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Throttler storage on the shared Redis. Fails open: while Redis is unreachable requests
 * are not limited (booking must keep working), with one warning per outage.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private failing = false;

  constructor(private readonly redis: RedisService) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = this.redis.key('rate', throttlerName, `{${key}}`);
    try {
      const [hits, left, blocked, blockLeft] = (await this.redis.client.eval(
        HIT_SCRIPT,
        2,
        base,
        `${base}:blocked`,
        ttl,
        limit,
        blockDuration,
      )) as number[];
      if (this.failing) this.logger.log('Rate limiting is back on: Redis answers again');
      this.failing = false;
      return {
        totalHits: hits,
        timeToExpire: toSeconds(left),
        isBlocked: blocked === 1,
        timeToBlockExpire: blocked === 1 ? toSeconds(blockLeft) : 0,
      };
    } catch (error) {
      if (!this.failing) {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn(`Rate limiting is off while Redis is unavailable: ${reason}`);
      }
      this.failing = true;
      return { totalHits: 0, timeToExpire: toSeconds(ttl), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
