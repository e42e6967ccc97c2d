import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxEvent, OutboxKind } from '@app/database';
import { isStoredEvent, SECRET_FIELDS } from '../domain-events';
import { EventSubscribers } from '../event-subscribers';
import { defineJob, JobHandler } from '../jobs';
import { QueueName } from '../queue-names';
import { WorkItems } from '../work/work-items';

export interface EventDispatchData {
  eventId: string;
}

export const eventDispatchJob = defineJob<EventDispatchData>({
  name: 'event.dispatch',
  queue: QueueName.Events,
  id: ({ eventId }) => `event-${eventId}`,
});

/** Hands one relayed event to every consumer; a failure retries them all (each is idempotent). */
@Injectable()
export class EventDispatchHandler extends JobHandler<EventDispatchData> {
  readonly job = eventDispatchJob;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subscribers: EventSubscribers,
    private readonly work: WorkItems,
  ) {
    super();
  }

  async run({ eventId }: EventDispatchData): Promise<void> {
    const row = await this.db
      .getRepository(OutboxEvent)
      .findOne({ where: { id: eventId, kind: OutboxKind.Event } });
    if (!row) return;
    const event = { id: row.id, type: row.type, payload: row.payload, createdAt: row.createdAt };
    if (!isStoredEvent(event)) return;
    await this.subscribers.publish(event);
    const secrets = SECRET_FIELDS[event.type];
    if (secrets) await this.work.scrub(event.id, secrets);
    await this.work.markEventDone(event.id);
  }
}
