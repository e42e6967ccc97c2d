import { Injectable, Logger, OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { StoredEvent } from './domain-events';

const EVENT_SUBSCRIBER = 'app:event-subscriber';

/** Something the worker does when a domain event is relayed; must be idempotent. */
export interface DomainEventSubscriber {
  onEvent(event: StoredEvent): Promise<void>;
}

/** Marks a provider class as a consumer of relayed domain events. */
export const EventSubscriber = () => SetMetadata(EVENT_SUBSCRIBER, true);

function isSubscriber(instance: unknown): instance is DomainEventSubscriber {
  return (
    typeof instance === 'object' &&
    instance !== null &&
    typeof Reflect.get(instance, 'onEvent') === 'function'
  );
}

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
      .map((wrapper) => wrapper.instance)
      .filter(isSubscriber);
    this.logger.log(
      `Event subscribers: ${this.subscribers.map((s) => s.constructor.name).join(', ')}`,
    );
  }

  /** Runs every subscriber in turn; a failure fails the job, whose retry re-runs them all. */
  async publish(event: StoredEvent): Promise<void> {
    for (const subscriber of this.subscribers) await subscriber.onEvent(event);
  }
}
