import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisService } from '@app/queues';

// Holders are scored by expiry (Redis' clock): a worker killed mid-delivery frees its slot
// when the lease lapses, without anyone releasing it.
const ACQUIRE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1
`;

/** Longer than one delivery can take (10 s timeout plus the database round trips). */
const LEASE_MS = 30_000;

/**
 * Deliveries in flight per endpoint, shared by every worker through Redis: a dead
 * endpoint holds at most WEBHOOK_ENDPOINT_CONCURRENCY of the queue's workers, so the
 * others keep delivering to everyone else.
 */
@Injectable()
export class EndpointSlots {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async acquire(endpointId: string, holder: string): Promise<boolean> {
    const won = await this.redis.client.eval(
      ACQUIRE,
      1,
      this.key(endpointId),
      holder,
      this.config.webhooks.endpointConcurrency,
      LEASE_MS,
    );
    return won === 1;
  }

  async release(endpointId: string, holder: string): Promise<void> {
    await this.redis.client.zrem(this.key(endpointId), holder).catch(() => undefined);
  }

  private key(endpointId: string): string {
    return this.redis.key('webhook-slots', endpointId);
  }
}
