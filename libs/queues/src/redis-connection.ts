import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { AppConfig } from '@app/config';

/** One Redis or a Redis Cluster: both answer the commands the app uses. */
export type RedisClient = Redis | Cluster;

/** ioredis options from a redis:// URL (BullMQ takes options, not a URL). */
export function redisOptionsFromUrl(url: string, extra: RedisOptions = {}): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname && parsed.pathname !== '/' ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    ...extra,
  };
}

/**
 * A client of the configured Redis: a Cluster client when REDIS_CLUSTER_NODES is set
 * (credentials and TLS from its first URL), else one connection to REDIS_URL.
 */
export function createRedisClient(
  redis: AppConfig['redis'],
  options: RedisOptions,
  clusterOptions: ClusterOptions = {},
): RedisClient {
  if (!redis.clusterNodes) return new Redis(redisOptionsFromUrl(redis.url, options));
  const nodes = redis.clusterNodes.map((url) => {
    const { host, port } = redisOptionsFromUrl(url);
    return { host: host!, port: port! };
  });
  const { username, password, tls } = redisOptionsFromUrl(redis.clusterNodes[0]);
  return new Cluster(nodes, {
    redisOptions: { username, password, tls, ...options },
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    // Managed clusters announce nodes by a name their TLS certificate covers: keep the name.
    ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    ...clusterOptions,
  });
}

/**
 * BullMQ's connection: options for one Redis (BullMQ connects itself) or, on a cluster, one
 * shared Cluster client (BullMQ cannot build one from options; it duplicates it for workers).
 */
@Injectable()
export class BullConnection implements OnApplicationShutdown {
  private cluster?: RedisClient;

  constructor(private readonly config: AppConfig) {}

  options(): ConnectionOptions {
    if (!this.config.redis.clusterNodes) {
      return { url: this.config.redis.url, maxRetriesPerRequest: null };
    }
    this.cluster ??= createRedisClient(this.config.redis, { maxRetriesPerRequest: null });
    return this.cluster;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cluster?.quit().catch(() => this.cluster?.disconnect());
  }
}
