import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisService } from '@app/queues';
import { liveChannel, LiveNotificationMessage } from './live-notifications';
import type { NotificationView } from './notification-view';

export type LiveListener = (notification: NotificationView) => void;

/** How long start-up waits for the first subscription; the feed still subscribes later. */
const SUBSCRIBE_WAIT_MS = 2000;

/**
 * New in-app notifications as they are stored, whichever worker stored them: one Redis
 * subscription per api instance, routed to the listeners of this instance by user.
 */
@Injectable()
export class LiveNotificationFeed implements OnModuleInit {
  private readonly logger = new Logger(LiveNotificationFeed.name);
  private readonly listeners = new Map<string, Set<LiveListener>>();

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const channel = liveChannel(this.config.redis.queuePrefix);
    const subscriber = this.redis.createSubscriber();
    subscriber.on('message', (_channel: string, raw: string) => this.route(raw));
    const subscribed = new Promise<void>((resolve) => {
      // Also after a failed first attempt (Redis down at start): subscribing twice is harmless.
      const subscribe = () =>
        subscriber.subscribe(channel).then(
          () => resolve(),
          (error: Error) =>
            this.logger.warn(`Live notifications not subscribed yet: ${error.message}`),
        );
      subscriber.on('ready', () => void subscribe());
      if (subscriber.status === 'ready') void subscribe();
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      subscribed,
      new Promise((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  /** Calls `listener` with each new notification of `userId`; returns the unsubscribe. */
  subscribe(userId: string, listener: LiveListener): () => void {
    const set = this.listeners.get(userId) ?? new Set<LiveListener>();
    set.add(listener);
    this.listeners.set(userId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(userId) === set) this.listeners.delete(userId);
    };
  }

  /** Open listeners of `userId` on this instance. */
  listenerCount(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }

  private route(raw: string): void {
    let message: LiveNotificationMessage;
    try {
      message = JSON.parse(raw) as LiveNotificationMessage;
    } catch {
      this.logger.warn('Ignored a malformed live notification message');
      return;
    }
    for (const listener of this.listeners.get(message.userId) ?? []) {
      try {
        listener(message.notification);
      } catch (error) {
        this.logger.warn(`A live notification listener failed: ${(error as Error).message}`);
      }
    }
  }
}
