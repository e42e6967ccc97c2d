import { PassThrough } from 'node:stream';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode, isUuid } from '@app/common';
import { LiveNotificationFeed, NotificationInbox, NotificationView } from '@app/notifications';
import { ShutdownDrain } from '../health/shutdown-drain';

const HEARTBEAT_MS = 15_000;
const RECONNECT_MS = 3_000;

const frame = (n: NotificationView) =>
  `id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`;

/**
 * Server-Sent Events of a user's new in-app notifications. The reply goes through Fastify
 * (a stream body), so the headers of every hook (X-Request-Id, CORS, helmet) are kept.
 */
@Injectable()
export class NotificationStreams implements BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationStreams.name);
  private readonly streams = new Set<PassThrough>();
  private closing = false;

  constructor(
    private readonly feed: LiveNotificationFeed,
    private readonly inbox: NotificationInbox,
    private readonly drain: ShutdownDrain,
  ) {}

  /** `lastEventId` (EventSource sends it on reconnect) replays what the client missed. */
  async open(userId: string, reply: FastifyReply, lastEventId?: string): Promise<void> {
    if (this.closing) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The server is restarting; reconnect', {
        retryAfterSeconds: 1,
      });
    }
    const stream = new PassThrough();
    const write = (chunk: string) => stream.writable && stream.write(chunk);
    const replay = lastEventId && isUuid(lastEventId) ? lastEventId : undefined;
    // Until the backlog is written, live events wait so the order stays oldest first.
    let held: NotificationView[] | null = replay ? [] : null;
    const unsubscribe = this.feed.subscribe(userId, (n) => (held ? held.push(n) : write(frame(n))));
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS).unref();
    this.streams.add(stream);
    stream.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.streams.delete(stream);
    });

    write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
    reply
      .header('Content-Type', 'text/event-stream; charset=utf-8')
      .header('Cache-Control', 'no-cache, no-transform')
      .header('X-Accel-Buffering', 'no')
      .send(stream);

    if (!replay || !held) return;
    const backlog = await this.inbox.since(userId, replay).catch((error: Error) => {
      this.logger.warn(`Live stream backlog not sent: ${error.message}`);
      return [];
    });
    const sent = new Set(backlog.map((n) => n.id));
    for (const n of [...backlog, ...held.filter((n) => !sent.has(n.id))]) write(frame(n));
    held = null;
  }

  /**
   * After the drain (streams keep flowing meanwhile), ends open streams so the server can
   * close; clients reconnect through the balancer with Last-Event-ID and miss nothing.
   */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    await this.drain.begin(signal);
    this.closing = true;
    for (const stream of this.streams) {
      if (stream.writable) stream.end(': server shutting down\n\n');
    }
  }
}
