import { Injectable } from '@nestjs/common';
import { DomainEventSubscriber, EventSubscriber, StoredEvent } from '@app/queues';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationPlanner } from './notification-planner';

/** Turns every relayed domain event into the notifications it calls for. */
@Injectable()
@EventSubscriber()
export class NotificationSubscriber implements DomainEventSubscriber {
  constructor(
    private readonly planner: NotificationPlanner,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  async onEvent(event: StoredEvent): Promise<void> {
    const drafts = await this.planner.plan(event);
    await this.dispatcher.dispatch(event.id, drafts);
  }
}
