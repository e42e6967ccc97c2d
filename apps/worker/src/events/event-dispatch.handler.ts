import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OutboxEvent } from '@app/database';
import { EventSubscribers, EventType, JobHandler, JobName, JobPayloads } from '@app/queues';

@Injectable()
export class EventDispatchHandler {
  constructor(
    @InjectRepository(OutboxEvent) private readonly events: Repository<OutboxEvent>,
    private readonly subscribers: EventSubscribers,
  ) {}

  @JobHandler(JobName.EventDispatch)
  async dispatch({ eventId }: JobPayloads[JobName.EventDispatch]): Promise<void> {
    const event = await this.events.findOne({ where: { id: eventId } });
    if (!event) return;
    await this.subscribers.publish({
      id: event.id,
      type: event.type as EventType,
      payload: event.payload,
      createdAt: event.createdAt,
    });
  }
}
