import { Injectable, Logger, OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EventType } from './domain-events';

const EVENT_SUBSCRIBER = 'app:event-subscriber';

export interface StoredEvent {
  id: string;
  type: EventType;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** Something the worker does when a domain event is relayed; must be idempotent. */
export interface DomainEventSubscriber {
  onEvent(event: StoredEvent): Promise<void>;
}

/** Marks a provider class as a subscriber of relayed domain events. */
export const EventSubscriber = () => SetMetadata(EVENT_SUBSCRIBER, true);

@Injectable()
export class EventSubscribers implements OnModuleInit {
  private readonly logger = new Logger(EventSubscribers.name);
  private subscribers: DomainEventSubscriber[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.subscribers = this.discovery
      .getProviders()
      .filter(
        (wrapper) => wrapper.metatype && Reflect.getMetadata(EVENT_SUBSCRIBER, wrapper.metatype),
      )
      .map((wrapper) => wrapper.instance as DomainEventSubscriber)
      .filter((instance) => instance && typeof instance.onEvent === 'function');
    this.logger.log(
      `Event subscribers: ${this.subscribers.map((s) => s.constructor.name).join(', ')}`,
    );
  }

  /** Runs every subscriber in turn; a failure fails the job, whose retry re-runs them all. */
  async publish(event: StoredEvent): Promise<void> {
    for (const subscriber of this.subscribers) await subscriber.onEvent(event);
  }
}
