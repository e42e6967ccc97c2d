import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { eventDispatchJob, JobProducer, OutboxRelay, QueueName, WorkItems } from '@app/queues';

export interface RelayResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/** Marks every pending outbox row as published, so a worker starts without a backlog. */
export async function settleOutbox(client: Client): Promise<void> {
  await client.query(
    "UPDATE outbox_events SET state = 'done', published_at = now() WHERE state = 'pending'",
  );
}

/**
 * Relay throughput: `events` committed outbox rows moved into the events queue by the
 * product's OutboxRelay (same batches, same SKIP LOCKED transaction) under a fresh queue
 * prefix, timed from the first batch to the last.
 */
export async function measureRelay(
  client: Client,
  databaseUrl: string,
  redisUrl: string,
  events: number,
): Promise<RelayResult> {
  await settleOutbox(client);
  await client.query(
    `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload)
     SELECT 'appointment.completed', 'appointment', id, jsonb_build_object('appointmentId', id)
       FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $1::int)) g`,
    [events],
  );
  await client.query('ANALYZE outbox_events');
  const dataSource = await new DataSource(
    dataSourceOptions(databaseUrl, { logging: ['error'] }),
  ).initialize();
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = `bench-relay-${randomBytes(4).toString('hex')}`;
  const queues = Object.fromEntries(
    Object.values(QueueName).map((name) => [name, new Queue(name, { prefix, connection })]),
  ) as Record<QueueName, Queue>;
  const config = AppConfig.fromEnv({
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
  });
  try {
    const producer = new JobProducer(
      queues[QueueName.System],
      queues[QueueName.Events],
      queues[QueueName.Notifications],
      queues[QueueName.Booking],
      queues[QueueName.Payments],
      queues[QueueName.Maintenance],
      queues[QueueName.Webhooks],
      config,
    );
    const relay = new OutboxRelay(dataSource, producer, config, new WorkItems(dataSource, config));
    const started = performance.now();
    let moved = 0;
    for (let batch = await relay.relayBatch(); batch > 0; batch = await relay.relayBatch())
      moved += batch;
    const seconds = (performance.now() - started) / 1000;
    const waiting = await queues[QueueName.Events].getWaitingCount();
    if (moved !== events || waiting !== events) {
      throw new Error(`relay moved ${moved} events, ${waiting} jobs waiting; expected ${events}`);
    }
    return { events, seconds, eventsPerSecond: events / seconds };
  } finally {
    for (const queue of Object.values(queues)) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    connection.disconnect();
    await dataSource.destroy();
  }
}

/**
 * Watches a worker's events queue: when each event.dispatch job became active, from the
 * id of its 'active' entry in the queue's event stream (Redis time, milliseconds).
 */
export class PickupWatch {
  private readonly activeAt = new Map<string, number>();

  private constructor(private readonly events: QueueEvents) {
    events.on('active', ({ jobId }, id) => {
      if (!this.activeAt.has(jobId)) this.activeAt.set(jobId, Number(id.split('-')[0]));
    });
  }

  static async start(redisUrl: string, prefix: string): Promise<PickupWatch> {
    const events = new QueueEvents(QueueName.Events, {
      prefix,
      connection: new IORedis(redisUrl, { maxRetriesPerRequest: null }),
      lastEventId: '$',
    });
    await events.waitUntilReady();
    return new PickupWatch(events);
  }

  /** Milliseconds from each appointment's creation to its booked event's job starting. */
  async latencies(client: Client, appointmentIds: string[], timeoutMs = 60_000): Promise<number[]> {
    const { rows } = await client.query<{ event_id: string; created_at: Date }>(
      `SELECT o.id AS event_id, a.created_at FROM outbox_events o JOIN appointments a ON a.id = o.aggregate_id
        WHERE o.type = 'appointment.booked' AND a.id = ANY($1)`,
      [appointmentIds],
    );
    const deadline = Date.now() + timeoutMs;
    while (
      rows.some((row) => !this.activeAt.has(eventDispatchJob.id({ eventId: row.event_id }))) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return rows
      .filter((row) => this.activeAt.has(eventDispatchJob.id({ eventId: row.event_id })))
      .map(
        (row) =>
          this.activeAt.get(eventDispatchJob.id({ eventId: row.event_id }))! -
          row.created_at.getTime(),
      );
  }

  async close(): Promise<void> {
    await this.events.close();
  }
}
