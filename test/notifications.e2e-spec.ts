import { createHash, randomUUID } from 'node:crypto';
import http, { IncomingHttpHeaders } from 'node:http';
import { Appointment, AppointmentStatus, User } from '@app/database';
import {
  ANNOUNCEMENT_BATCH_SIZE,
  AnnouncementBatchData,
  AnnouncementBatchHandler,
  announcementBatchJob,
  LiveNotificationFeed,
  NotificationDispatcher,
  NotificationView,
} from '@app/notifications';
import { RedisService } from '@app/queues';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A minimal EventSource: one HTTP request, its frames parsed as they arrive. */
class SseClient {
  readonly events: SseEvent[] = [];
  body = '';
  ended = false;
  private request?: http.ClientRequest;

  private constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
  ) {}

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        url,
        { headers: { Accept: 'text/event-stream', ...headers } },
        (response) => {
          const client = new SseClient(response.statusCode ?? 0, response.headers);
          client.request = request;
          let buffer = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            client.body += chunk;
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              client.parse(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
            }
          });
          response.on('end', () => (client.ended = true));
          response.on('close', () => (client.ended = true));
          resolve(client);
        },
      );
      request.on('error', reject);
    });
  }

  notifications(): NotificationView[] {
    return this.events
      .filter((e) => e.event === 'notification')
      .map((e) => JSON.parse(e.data) as NotificationView);
  }

  next(predicate: (n: NotificationView) => boolean): Promise<NotificationView> {
    return waitFor(() => this.notifications().find(predicate), { what: 'a live notification' });
  }

  close(): void {
    this.request?.destroy();
  }

  private parse(block: string): void {
    const event: SseEvent = { data: '' };
    let hasData = false;
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon === 0) continue;
      const field = colon > 0 ? line.slice(0, colon) : line;
      const value = colon > 0 ? line.slice(colon + 1).replace(/^ /, '') : '';
      if (field === 'id') event.id = value;
      if (field === 'event') event.event = value;
      if (field === 'data') {
        event.data += (hasData ? '\n' : '') + value;
        hasData = true;
      }
    }
    if (hasData) this.events.push(event);
  }
}

describe('Notifications (api)', () => {
  let app: TestApp;
  let fx: BookingFixtures;
  let admin: Actor;

  const auth = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const streamUrl = (query = '') => `${app.baseUrl}/api/v1/notifications/stream${query}`;

  /** A new in-app notification through the worker's dispatcher (stored, then published live). */
  async function notify(userId: string, title: string, via: TestApp = app): Promise<void> {
    await via.worker!.get(NotificationDispatcher, { strict: false }).dispatch(null, [
      {
        userId,
        type: 'announcement',
        dedupeKey: `test:${randomUUID()}`,
        channels: ['in_app'],
        content: {
          subject: title,
          heading: title,
          paragraphs: ['First paragraph.', 'Second paragraph.'],
        },
        data: { senderId: admin.id },
      },
    ]);
  }

  const list = (actor: Actor, query: Record<string, string | number | boolean> = {}) =>
    app.http.get('/api/v1/notifications').query(query).set(auth(actor)).expect(200);

  beforeAll(async () => {
    app = await TestApp.start();
    fx = new BookingFixtures(app);
    admin = await fx.admin();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('after a booking', () => {
    it('patient and doctor find it in the app (and in their mailbox)', async () => {
      const doctor = await fx.doctor({ feeMinor: 0 });
      const patient = await fx.patient();
      const booked = await app.http
        .post('/api/v1/appointments')
        .set(auth(patient))
        .send({ doctorId: doctor.id, startsAt: slotAt(30) })
        .expect(201);

      for (const actor of [patient, doctor]) {
        const item = await waitFor(
          async () =>
            (await list(actor)).body.items.find(
              (n: NotificationView) =>
                n.type === 'appointment.booked' && n.data.appointmentId === booked.body.id,
            ),
          { what: `the booking notification of the ${actor.role}` },
        );
        expect(Object.keys(item).sort()).toEqual([
          'body',
          'createdAt',
          'data',
          'id',
          'readAt',
          'title',
          'type',
        ]);
        expect(item.readAt).toBeNull();
        expect(item.createdAt).toMatch(/Z$/);
      }
      await app.smtp.waitForMessage((m) => m.to.includes(patient.email));
      await app.smtp.waitForMessage((m) => m.to.includes(doctor.email));
    });
  });

  describe('inbox', () => {
    let user: Actor;
    let other: Actor;

    beforeAll(async () => {
      user = await fx.patient();
      other = await fx.patient();
      for (const title of ['first', 'second', 'third']) await notify(user.id, title);
      await notify(other.id, 'not yours');
    });

    it('lists only the caller’s notifications, newest first, paginated', async () => {
      const all = await list(user);
      expect(all.body).toMatchObject({ page: 1, limit: 20, total: 3 });
      expect(all.body.items.map((n: NotificationView) => n.title)).toEqual([
        'third',
        'second',
        'first',
      ]);
      expect(all.body.items[0]).toMatchObject({
        type: 'announcement',
        body: 'First paragraph.\n\nSecond paragraph.',
        data: { senderId: admin.id },
        readAt: null,
      });
      const page2 = await list(user, { page: 2, limit: 1 });
      expect(page2.body).toMatchObject({ page: 2, limit: 1, total: 3 });
      expect(page2.body.items.map((n: NotificationView) => n.title)).toEqual(['second']);
    });

    it('counts unread, reads one idempotently, filters, then reads all', async () => {
      const unread = () =>
        app.http.get('/api/v1/notifications/unread-count').set(auth(user)).expect(200);
      expect((await unread()).body).toEqual({ count: 3 });

      const [newest] = (await list(user)).body.items as NotificationView[];
      const read = await app.http
        .post(`/api/v1/notifications/${newest.id}/read`)
        .set(auth(user))
        .expect(200);
      expect(read.body).toMatchObject({ id: newest.id, title: 'third' });
      expect(read.body.readAt).toMatch(/Z$/);
      const again = await app.http
        .post(`/api/v1/notifications/${newest.id}/read`)
        .set(auth(user))
        .expect(200);
      expect(again.body.readAt).toBe(read.body.readAt);
      expect((await unread()).body).toEqual({ count: 2 });

      const onlyUnread = await list(user, { unread: true });
      expect(onlyUnread.body.total).toBe(2);
      expect(onlyUnread.body.items.map((n: NotificationView) => n.title)).toEqual([
        'second',
        'first',
      ]);
      const onlyRead = await list(user, { unread: false });
      expect(onlyRead.body.items.map((n: NotificationView) => n.title)).toEqual(['third']);

      const all = await app.http.post('/api/v1/notifications/read-all').set(auth(user)).expect(200);
      expect(all.body).toEqual({ updated: 2 });
      const twice = await app.http
        .post('/api/v1/notifications/read-all')
        .set(auth(user))
        .expect(200);
      expect(twice.body).toEqual({ updated: 0 });
      expect((await unread()).body).toEqual({ count: 0 });
      // Reading all keeps the time the newest was first read.
      expect((await list(user)).body.items[0].readAt).toBe(read.body.readAt);
      // Nobody else's notification was touched.
      expect((await list(other, { unread: true })).body.total).toBe(1);
    });

    it('answers someone else’s notification id, an unknown id and a malformed id with 404', async () => {
      const [theirs] = (await list(other)).body.items as NotificationView[];
      for (const id of [theirs.id, randomUUID(), 'not-a-uuid']) {
        const res = await app.http
          .post(`/api/v1/notifications/${id}/read`)
          .set(auth(user))
          .expect(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.code).toBe('NOT_FOUND');
      }
      expect((await list(other)).body.items[0].readAt).toBeNull();
    });

    it('rejects bad query parameters with 400 and anonymous callers with 401', async () => {
      for (const query of [{ unread: 'maybe' }, { limit: 101 }, { page: 0 }, { extra: 1 }]) {
        const res = await app.http
          .get('/api/v1/notifications')
          .query(query)
          .set(auth(user))
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      for (const [method, path] of [
        ['get', '/api/v1/notifications'],
        ['get', '/api/v1/notifications/unread-count'],
        ['post', '/api/v1/notifications/read-all'],
        ['post', `/api/v1/notifications/${randomUUID()}/read`],
        ['post', '/api/v1/notifications/stream-ticket'],
        ['post', '/api/v1/notifications/announcements'],
      ] as const) {
        const res = await app.http[method](path).expect(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('live stream', () => {
    let user: Actor;
    const open: SseClient[] = [];
    const connect = async (url: string, headers: Record<string, string> = {}) => {
      const client = await SseClient.open(url, headers);
      open.push(client);
      return client;
    };

    beforeAll(async () => {
      user = await fx.patient();
    });

    afterEach(() => {
      for (const client of open.splice(0)) client.close();
    });

    it('streams the caller’s new notifications with a bearer token, keeping request id and CORS headers', async () => {
      const other = await fx.patient();
      const client = await connect(streamUrl(), {
        ...auth(user),
        Origin: 'https://app.example.test',
        'X-Request-Id': 'sse-test-1',
      });
      expect(client.status).toBe(200);
      expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(client.headers['cache-control']).toBe('no-cache, no-transform');
      expect(client.headers['x-request-id']).toBe('sse-test-1');
      expect(client.headers['access-control-allow-origin']).toBeDefined();

      await notify(other.id, 'for someone else');
      await notify(user.id, 'live one');
      const live = await client.next((n) => n.title === 'live one');
      expect(live).toMatchObject({
        type: 'announcement',
        readAt: null,
        data: { senderId: admin.id },
      });
      const event = client.events.find((e) => e.event === 'notification' && e.id === live.id);
      expect(event).toBeDefined();
      // Only the caller's own notifications travel on their stream.
      const mine = (await list(user)).body.items.map((n: NotificationView) => n.id);
      expect(client.notifications().every((n) => mine.includes(n.id))).toBe(true);
      expect(client.body.startsWith('retry: ')).toBe(true);
    });

    it('lets go of a stream when the client disconnects', async () => {
      const feed = app.get(LiveNotificationFeed);
      const reader = await fx.patient();
      const [first, second] = [
        await connect(streamUrl(), auth(reader)),
        await connect(streamUrl(), auth(reader)),
      ];
      expect(feed.listenerCount(reader.id)).toBe(2);
      first.close();
      await waitFor(() => feed.listenerCount(reader.id) === 1, { what: 'the listener to go' });
      await notify(reader.id, 'still listening');
      await second.next((n) => n.title === 'still listening');
      second.close();
      await waitFor(() => feed.listenerCount(reader.id) === 0, { what: 'the last listener to go' });
    });

    it('accepts a ticket once, within its minute', async () => {
      const issued = await app.http
        .post('/api/v1/notifications/stream-ticket')
        .set(auth(user))
        .expect(201);
      const { ticket, expiresAt } = issued.body as { ticket: string; expiresAt: string };
      expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const ttlMs = new Date(expiresAt).getTime() - Date.now();
      expect(ttlMs).toBeGreaterThan(50_000);
      expect(ttlMs).toBeLessThanOrEqual(60_000);

      const client = await connect(streamUrl(`?ticket=${ticket}`));
      expect(client.status).toBe(200);
      await notify(user.id, 'via ticket');
      await client.next((n) => n.title === 'via ticket');

      const reused = await connect(streamUrl(`?ticket=${ticket}`));
      expect(reused.status).toBe(401);
      await waitFor(() => reused.ended);
      expect(reused.headers['content-type']).toContain('application/problem+json');
      expect(JSON.parse(reused.body).code).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired ticket and the ticket of a since deactivated account', async () => {
      const redis = app.get(RedisService);
      const issue = async () =>
        (await app.http.post('/api/v1/notifications/stream-ticket').set(auth(user)).expect(201))
          .body.ticket as string;
      const keyOf = (ticket: string) =>
        redis.key('stream-ticket', createHash('sha256').update(ticket).digest('hex'));

      const expiring = await issue();
      const ttl = await redis.client.ttl(keyOf(expiring));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
      // Let Redis expire it now instead of waiting a minute.
      await redis.client.pexpire(keyOf(expiring), 1);
      await waitFor(async () => (await redis.client.exists(keyOf(expiring))) === 0);
      expect((await connect(streamUrl(`?ticket=${expiring}`))).status).toBe(401);

      const leaving = await fx.patient();
      const ticket = (
        await app.http.post('/api/v1/notifications/stream-ticket').set(auth(leaving)).expect(201)
      ).body.ticket as string;
      await app.dataSource.getRepository(User).update(leaving.id, { deactivatedAt: new Date() });
      expect((await connect(streamUrl(`?ticket=${ticket}`))).status).toBe(401);
    });

    it('answers a missing or wrong credential with 401', async () => {
      const deactivated = await fx.patient();
      await app.dataSource
        .getRepository(User)
        .update(deactivated.id, { deactivatedAt: new Date() });
      const attempts: [string, Record<string, string>][] = [
        [streamUrl(), {}],
        [streamUrl(), { Authorization: 'Bearer not-a-token' }],
        [streamUrl(), auth(deactivated)],
        [streamUrl('?ticket=made-up'), {}],
        [streamUrl(`?ticket=${'A'.repeat(43)}`), {}],
        [streamUrl(`?ticket=${user.token}`), {}],
      ];
      for (const [url, headers] of attempts) {
        const client = await connect(url, headers);
        expect(client.status).toBe(401);
        await waitFor(() => client.ended);
        expect(JSON.parse(client.body)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      }
    });

    it('replays what a reconnecting client missed after Last-Event-ID', async () => {
      const reader = await fx.patient();
      await notify(reader.id, 'seen');
      const [seen] = (await list(reader)).body.items as NotificationView[];
      await notify(reader.id, 'missed 1');
      await notify(reader.id, 'missed 2');

      const client = await connect(streamUrl(), { ...auth(reader), 'Last-Event-ID': seen.id });
      await client.next((n) => n.title === 'missed 2');
      expect(client.notifications().map((n) => n.title)).toEqual(['missed 1', 'missed 2']);
      await notify(reader.id, 'live again');
      await client.next((n) => n.title === 'live again');

      // A new EventSource (after its ticket was used) names the last id in the query instead.
      const ticket = (
        await app.http.post('/api/v1/notifications/stream-ticket').set(auth(reader)).expect(201)
      ).body.ticket;
      const resumed = await connect(streamUrl(`?ticket=${ticket}&lastEventId=${seen.id}`));
      await resumed.next((n) => n.title === 'live again');
      expect(resumed.notifications().map((n) => n.title)).toEqual([
        'missed 1',
        'missed 2',
        'live again',
      ]);

      const malformed = await connect(streamUrl('?lastEventId=42'), auth(reader));
      expect(malformed.status).toBe(400);
    });

    it('is documented as text/event-stream, with the ticket as a security scheme', async () => {
      const doc = (await app.http.get('/docs-json').expect(200)).body;
      const stream = doc.paths['/api/v1/notifications/stream'].get;
      expect(stream.tags).toEqual(['notifications']);
      expect(Object.keys(stream.responses['200'].content)).toContain('text/event-stream');
      expect(stream.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['lastEventId', 'last-event-id']),
      );
      // Either the bearer header or `?ticket=`: two entries of `security` are alternatives.
      expect(stream.security).toEqual(
        expect.arrayContaining([{ bearer: [] }, { streamTicket: [] }]),
      );
      expect(doc.components.securitySchemes.streamTicket).toMatchObject({
        type: 'apiKey',
        in: 'query',
        name: 'ticket',
      });
      expect(Object.keys(stream.responses['401'].content)).toEqual(['application/problem+json']);
      for (const path of [
        '/api/v1/notifications',
        '/api/v1/notifications/unread-count',
        '/api/v1/notifications/{id}/read',
        '/api/v1/notifications/read-all',
        '/api/v1/notifications/stream-ticket',
        '/api/v1/notifications/announcements',
      ]) {
        const operations = Object.values(doc.paths[path]) as {
          summary?: string;
          tags?: string[];
        }[];
        for (const operation of operations) {
          expect(operation.summary).toBeTruthy();
          expect(operation.tags).toEqual(['notifications']);
        }
      }
      expect(doc.paths['/api/v1/notifications/read-all'].post.responses['200']).toBeDefined();
      expect(doc.paths['/api/v1/notifications/announcements'].post.responses['202']).toBeDefined();
    });
  });

  describe('announcements', () => {
    let doctor: Actor;
    let otherDoctor: Actor;
    let inRange: Actor;
    let later: Actor;
    let otherDoctorsPatient: Actor;
    let cancelled: Actor;
    let deactivated: Actor;
    const day = (hoursAhead: number) => new Date(slotAt(hoursAhead));

    const appointment = async (
      doctorId: string,
      patientId: string,
      startsAt: Date,
      status = AppointmentStatus.Confirmed,
    ) =>
      app.dataSource.getRepository(Appointment).insert({
        doctorId,
        patientId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 30 * 60_000),
        status,
        feeMinor: 0,
        currency: 'USD',
      });
    const announce = (actor: Actor, body: Record<string, unknown>) =>
      app.http.post('/api/v1/notifications/announcements').set(auth(actor)).send(body);
    /** Who the worker notified in the app of the announcement titled so, once `count` arrived. */
    const deliveredTo = (title: string, count: number) =>
      waitFor(
        async () => {
          const rows: { userId: string }[] = await app.dataSource.query(
            `SELECT user_id AS "userId" FROM notifications
              WHERE type = 'announcement' AND channel = 'in_app' AND title = $1`,
            [title],
          );
          return rows.length >= count && rows.map((row) => row.userId);
        },
        { what: `${count} deliveries of "${title}"` },
      );

    beforeAll(async () => {
      doctor = await fx.doctor();
      otherDoctor = await fx.doctor();
      [inRange, later, otherDoctorsPatient, cancelled, deactivated] = await Promise.all([
        fx.patient(),
        fx.patient(),
        fx.patient(),
        fx.patient(),
        fx.patient(),
      ]);
      await appointment(doctor.id, inRange.id, day(50));
      await appointment(doctor.id, inRange.id, day(51), AppointmentStatus.PendingPayment);
      await appointment(doctor.id, later.id, day(200));
      await appointment(otherDoctor.id, otherDoctorsPatient.id, day(50));
      await appointment(doctor.id, cancelled.id, day(52), AppointmentStatus.Cancelled);
      await appointment(doctor.id, deactivated.id, day(53));
      await app.dataSource
        .getRepository(User)
        .update(deactivated.id, { deactivatedAt: new Date() });
    });

    it('lets a doctor reach their own patients with a live appointment in the range', async () => {
      const title = `Closed tomorrow ${randomUUID().slice(0, 8)}`;
      const res = await announce(doctor, {
        title,
        body: 'We have to move your appointment.\n\nWe will call you.',
        from: day(48).toISOString(),
        to: day(60).toISOString(),
      }).expect(202);
      expect(res.body).toEqual({ recipients: 1 });
      expect(await deliveredTo(title, 1)).toEqual([inRange.id]);

      const mail = await app.smtp.waitForMessage(
        (m) => m.to.includes(inRange.email) && m.subject === title,
      );
      expect(mail.text).toContain('We will call you.');
      const item = await waitFor(async () =>
        (await list(inRange)).body.items.find((n: NotificationView) => n.title === title),
      );
      expect(item).toMatchObject({ type: 'announcement', data: { senderId: doctor.id } });
    });

    it('reaches every future live appointment of the doctor without a range', async () => {
      const res = await announce(doctor, {
        title: 'Hello',
        body: 'News',
        doctorId: doctor.id,
      }).expect(202);
      expect(res.body).toEqual({ recipients: 2 });
      expect((await deliveredTo('Hello', 2)).sort()).toEqual([inRange.id, later.id].sort());
    });

    it('forbids a doctor to write to another doctor’s patients, and patients to announce', async () => {
      const res = await announce(doctor, {
        title: 'Hi',
        body: 'x',
        doctorId: otherDoctor.id,
      }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const patient = await announce(inRange, { title: 'Hi', body: 'x' }).expect(403);
      expect(patient.body.code).toBe('FORBIDDEN');
    });

    it('lets an admin name a doctor, or reach every active user', async () => {
      const named = await announce(admin, {
        title: 'For Dr. Other',
        body: 'x',
        doctorId: otherDoctor.id,
      }).expect(202);
      expect(named.body).toEqual({ recipients: 1 });
      expect(await deliveredTo('For Dr. Other', 1)).toEqual([otherDoctorsPatient.id]);
      await app.smtp.waitForMessage(
        (m) => m.to.includes(otherDoctorsPatient.email) && m.subject === 'For Dr. Other',
      );

      const ranged = await announce(admin, {
        title: 'Range of all doctors',
        body: 'x',
        from: day(48).toISOString(),
        to: day(60).toISOString(),
      }).expect(202);
      expect(ranged.body.recipients).toBe(2);
      expect((await deliveredTo('Range of all doctors', 2)).sort()).toEqual(
        [inRange.id, otherDoctorsPatient.id].sort(),
      );

      const count = async () =>
        (
          await app.dataSource.query(
            'SELECT count(*)::int AS n FROM users WHERE deactivated_at IS NULL',
          )
        )[0].n as number;
      const before = await count();
      const everyone = await announce(admin, { title: 'Maintenance tonight', body: 'x' }).expect(
        202,
      );
      const after = await count();
      // Other suites may add users meanwhile; the sender is not among the recipients.
      expect(everyone.body.recipients).toBeGreaterThanOrEqual(before - 1);
      expect(everyone.body.recipients).toBeLessThanOrEqual(after - 1);
      const recipients = await deliveredTo('Maintenance tonight', everyone.body.recipients);
      expect(recipients).toHaveLength(everyone.body.recipients);
      expect(recipients).toEqual(
        expect.arrayContaining([doctor.id, otherDoctor.id, inRange.id, later.id, cancelled.id]),
      );
      expect(recipients).not.toContain(deactivated.id);
      expect(recipients).not.toContain(admin.id);
    });

    it('pages an announcement to everyone in batches: each user once, no outbox row holding more than a batch of ids', async () => {
      const batches = app.worker!.get(AnnouncementBatchHandler, { strict: false });
      batches.batchSize = 3;
      try {
        // More users than three pages, however many the tests before this one made.
        await Promise.all(Array.from({ length: 10 }, () => fx.patient()));
        const users: { id: string; email: string }[] = await app.dataSource.query(
          'SELECT id, email FROM users WHERE deactivated_at IS NULL AND id <> $1',
          [admin.id],
        );
        const ids = users.map((u) => u.id);
        expect(users.length).toBeGreaterThan(3 * batches.batchSize);
        const title = `Batched news ${randomUUID().slice(0, 8)}`;

        const res = await announce(admin, { title, body: 'x' }).expect(202);
        expect(res.body).toEqual({ recipients: users.length });

        // Done when no page is left open: a full page records its successor before it ends.
        const pages = await waitFor(
          async () => {
            const [row]: { pages: number; open: number }[] = await app.dataSource.query(
              `SELECT count(*)::int AS pages, count(*) FILTER (WHERE state <> 'done')::int AS open
                 FROM outbox_events WHERE type = $1 AND payload->>'title' = $2`,
              [announcementBatchJob.name, title],
            );
            return row.pages > 0 && row.open === 0 && row.pages;
          },
          { what: 'every page of the announcement' },
        );
        expect(pages).toBe(Math.floor(users.length / batches.batchSize) + 1);

        const delivered: { userId: string; inApp: number; email: number }[] =
          await app.dataSource.query(
            `SELECT user_id AS "userId",
                    count(*) FILTER (WHERE channel = 'in_app')::int AS "inApp",
                    count(*) FILTER (WHERE channel = 'email')::int AS email
               FROM notifications WHERE type = 'announcement' AND title = $1 GROUP BY user_id`,
            [title],
          );
        expect(delivered.map((d) => d.userId).sort()).toEqual([...ids].sort());
        for (const row of delivered) expect(row).toMatchObject({ inApp: 1, email: 1 });
        await waitFor(
          () => app.smtp.messages.filter((m) => m.subject === title).length >= ids.length,
          { what: 'every email of the announcement' },
        );
        for (const user of users) {
          const mails = app.smtp.messages.filter(
            (m) => m.subject === title && m.to.includes(user.email),
          );
          expect(mails).toHaveLength(1);
        }

        // A page run again (a retry after a crash) stores and sends nothing new.
        const [first]: { payload: AnnouncementBatchData }[] = await app.dataSource.query(
          `SELECT payload FROM outbox_events
            WHERE type = $1 AND payload->>'title' = $2 AND payload->>'after' IS NULL`,
          [announcementBatchJob.name, title],
        );
        await expect(batches.run(first.payload)).resolves.toBe(0);

        const outbox: { payload: string }[] = await app.dataSource.query(
          'SELECT payload::text AS payload FROM outbox_events',
        );
        const idsIn = (payload: string) => ids.filter((id) => payload.includes(id)).length;
        expect(Math.max(...outbox.map((row) => idsIn(row.payload)))).toBeLessThanOrEqual(
          batches.batchSize,
        );
      } finally {
        batches.batchSize = ANNOUNCEMENT_BATCH_SIZE;
      }
    });

    it('validates the message and the range (400) and the doctor (404)', async () => {
      const invalid: Record<string, unknown>[] = [
        { body: 'x' },
        { title: '   ', body: 'x' },
        { title: 'x'.repeat(201), body: 'x' },
        { title: 'x', body: 'x'.repeat(5001) },
        { title: 'x', body: 'x', from: 'tomorrow' },
        { title: 'x', body: 'x', from: day(60).toISOString(), to: day(48).toISOString() },
        { title: 'x', body: 'x', from: day(48).toISOString(), to: day(48).toISOString() },
        { title: 'x', body: 'x', doctorId: 'nope' },
        { title: 'x', body: 'x', recipientIds: [inRange.id] },
      ];
      for (const body of invalid) {
        const res = await announce(admin, body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      const unknown = await announce(admin, {
        title: 'x',
        body: 'x',
        doctorId: randomUUID(),
      }).expect(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      const notADoctor = await announce(admin, {
        title: 'x',
        body: 'x',
        doctorId: inRange.id,
      }).expect(404);
      expect(notADoctor.body.code).toBe('NOT_FOUND');
    });
  });

  describe('across api instances', () => {
    let second: TestApp;

    beforeAll(async () => {
      // Same queue prefix (one per test file), its own process memory: only Redis connects them.
      second = await TestApp.start({ worker: false });
    });

    afterAll(async () => {
      await second?.close();
    });

    it('delivers a notification stored by instance A’s worker to a stream on instance B', async () => {
      const user = await fx.patient();
      const client = await SseClient.open(
        `${second.baseUrl}/api/v1/notifications/stream`,
        auth(user),
      );
      try {
        expect(client.status).toBe(200);
        await notify(user.id, 'from instance A', app);
        const live = await client.next((n) => n.title === 'from instance A');
        expect((await list(user)).body.items[0].id).toBe(live.id);
      } finally {
        client.close();
      }
    });

    // Last in the file: passport keeps one 'jwt' strategy per process, the one of the app
    // started last, and this test closes that app.
    it('ends open streams when an instance shuts down, so it can drain', async () => {
      const user = await fx.patient();
      const leaving = await TestApp.start({ worker: false, smtp: app.smtp });
      const client = await SseClient.open(
        `${leaving.baseUrl}/api/v1/notifications/stream`,
        auth(user),
      );
      expect(client.status).toBe(200);
      await leaving.close();
      await waitFor(() => client.ended, { what: 'the stream to end' });
      expect(client.body).toContain(': server shutting down');
    });
  });
});
