import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { OutboxEvent } from '@app/database';
import type { DomainEvent } from './domain-events';

export const OUTBOX_CHANNEL = 'outbox_events';

const AGGREGATE_OF: Record<string, string> = {
  auth: 'user',
  appointment: 'appointment',
  slot: 'doctor',
  payment: 'payment',
  announcement: 'announcement',
};

/**
 * Records domain events in the caller's transaction: they exist exactly when the change
 * commits, and the worker's relay delivers them even if Redis was down at the time.
 */
export async function recordEvents(
  manager: EntityManager,
  events: DomainEvent[],
): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => {
    const payload = event.payload as unknown as Record<string, unknown>;
    const aggregateId =
      (payload.appointmentId as string | undefined) ??
      (payload.userId as string | undefined) ??
      (payload.doctorId as string | undefined) ??
      (payload.paymentId as string | undefined) ??
      null;
    return {
      type: event.type,
      aggregateType: AGGREGATE_OF[event.type.split('.')[0]] ?? 'other',
      aggregateId,
      payload,
    };
  });
  const saved = await manager
    .createQueryBuilder()
    .insert()
    .into(OutboxEvent)
    .values(rows as QueryDeepPartialEntity<OutboxEvent>[])
    .returning('id')
    .execute();
  // Delivered at commit: wakes the relay at once instead of at its next poll.
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return saved.identifiers.map((identifier) => identifier.id as string);
}
