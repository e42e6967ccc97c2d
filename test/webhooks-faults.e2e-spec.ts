import { auth } from './fakes/payment-flow';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { freePort, RedisProcess, WorkerProcess } from './support/processes';
import { SmtpSink } from './support/smtp-sink';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { WebhookReceiver } from './support/webhook-receiver';

async function subscribe(app: TestApp, receiver: WebhookReceiver, owner: Actor, path: string) {
  const res = await app.http
    .post('/api/v1/webhooks')
    .set(auth(owner))
    .send({ url: receiver.url(path), events: ['appointment.booked'] })
    .expect(201);
  receiver.trust(path, res.body.secret);
  return res.body.id as string;
}

describe('Outgoing webhooks under faults', () => {
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await receiver?.close();
  });

  describe('Redis down', () => {
    let redis: RedisProcess;
    let app: TestApp;

    beforeAll(async () => {
      redis = new RedisProcess(await freePort());
      await redis.start();
      app = await TestApp.start({ env: { REDIS_URL: redis.url } });
    });

    afterAll(async () => {
      await app?.close();
      await redis?.stop();
    });

    it('keeps booking while Redis is down and delivers the webhooks once it is back', async () => {
      const fx = new BookingFixtures(app);
      const doctor = await fx.doctor();
      await subscribe(app, receiver, doctor, 'redis-down');
      const patients = [await fx.patient(), await fx.patient()];
      await redis.stop();

      const booked: string[] = [];
      for (const [i, patient] of patients.entries()) {
        const res = await app.http
          .post('/api/v1/appointments')
          .set(auth(patient))
          .send({ doctorId: doctor.id, startsAt: slotAt(20 + i) })
          .expect(201);
        booked.push(res.body.id);
      }
      expect(receiver.at('redis-down')).toHaveLength(0);

      await redis.start();
      await waitFor(() => receiver.at('redis-down').length >= 2, {
        timeoutMs: 60000,
        what: 'both webhooks after Redis came back',
      });
      const got = receiver.at('redis-down');
      expect(got.map((r) => (r.body.data as { id: string }).id).sort()).toEqual(booked.sort());
      expect(got.every((r) => r.verified)).toBe(true);
    }, 120_000);
  });

  describe('worker killed mid-delivery', () => {
    let app: TestApp;
    let smtp: SmtpSink;
    let worker: WorkerProcess;

    beforeAll(async () => {
      smtp = await SmtpSink.start();
      app = await TestApp.start({ worker: false, smtp });
      worker = new WorkerProcess({
        DATABASE_URL: app.config.database.url,
        REDIS_URL: app.config.redis.url,
        QUEUE_PREFIX: app.config.redis.queuePrefix,
        SMTP_URL: smtp.url,
        OUTBOUND_ALLOW_PRIVATE: 'true',
      });
      await worker.start();
    });

    afterAll(async () => {
      await worker?.kill();
      await app?.close();
      await smtp?.close();
    });

    it('delivers after a SIGKILL, at most repeating the same webhook-id', async () => {
      const fx = new BookingFixtures(app);
      const doctor = await fx.doctor();
      await subscribe(app, receiver, doctor, 'crash');
      // The receiver holds each request long enough to kill the worker while it waits.
      receiver.behave('crash', { delayMs: 1500 });
      let started = 0;
      const counting = receiver.onRequest((path) => {
        if (path === '/crash') started += 1;
      });
      const patient = await fx.patient();
      const res = await app.http
        .post('/api/v1/appointments')
        .set(auth(patient))
        .send({ doctorId: doctor.id, startsAt: slotAt(30) })
        .expect(201);

      await waitFor(() => started >= 1, { timeoutMs: 30000, what: 'the delivery to start' });
      await worker.kill('SIGKILL');
      await worker.start();

      const [row] = await waitFor(
        async () => {
          const rows = await app.dataSource.query(
            `SELECT status, attempts, event_id FROM webhook_deliveries d
               JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.owner_id = $1`,
            [doctor.id],
          );
          return rows[0]?.status === 'succeeded' ? rows : null;
        },
        { timeoutMs: 90000, what: 'the delivery to succeed after the restart' },
      );
      counting();
      const got = receiver.at('crash');
      expect(got.length).toBeGreaterThanOrEqual(1);
      expect(got.length).toBeLessThanOrEqual(2);
      expect(new Set(got.map((r) => r.id))).toEqual(new Set([row.event_id]));
      expect(got.every((r) => r.verified)).toBe(true);
      expect((got[0].body.data as { id: string }).id).toBe(res.body.id);
      console.log(`SIGKILL mid-delivery: ${got.length} request(s) with one webhook-id`);
    }, 180_000);
  });
});
