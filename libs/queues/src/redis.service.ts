import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { createRedisClient, type RedisClient } from './redis-connection';

/**
 * Redis for request paths (health, rate limits, live stream): fails fast instead of
 * queueing commands while Redis is down, so no request hangs on it.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: RedisClient;
  private readonly subscribers: RedisClient[] = [];

  constructor(private readonly config: AppConfig) {
    this.client = this.connect('main');
  }

  /** Waits briefly for the first connection; the app still starts while Redis is down. */
  async onModuleInit(): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** A dedicated connection for SUBSCRIBE (a subscribed connection can do nothing else). */
  createSubscriber(): RedisClient {
    const subscriber = this.connect('subscriber', true);
    this.subscribers.push(subscriber);
    return subscriber;
  }

  key(...parts: string[]): string {
    return [this.config.redis.queuePrefix, ...parts].join(':');
  }

  async ping(): Promise<boolean> {
    return (await this.client.ping()) === 'PONG';
  }

  private connect(role: string, offlineQueue = false): RedisClient {
    const client = createRedisClient(
      this.config.redis,
      {
        enableOfflineQueue: offlineQueue,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        commandTimeout: 2000,
        retryStrategy: (times) => Math.min(times * 200, 2000),
      },
      { clusterRetryStrategy: (times) => Math.min(times * 200, 2000) },
    );
    let warned = false;
    client.on('error', (error) => {
      if (!warned) this.logger.warn(`Redis (${role}) unavailable: ${error.message}`);
      warned = true;
    });
    client.on('ready', () => (warned = false));
    return client;
  }

  /** Last of the shutdown hooks: others may still use Redis while they stop. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [this.client, ...this.subscribers].map((c) => c.quit().catch(() => c.disconnect())),
    );
  }
}
