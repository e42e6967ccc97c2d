import { randomUUID } from 'node:crypto';
import { User, UserRole } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { BookingFixtures, slotAt } from './support/booking-fixtures';
import { freePort, RedisProcess, WorkerProcess } from './support/processes';
import { SinkMessage, SmtpSink } from './support/smtp-sink';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** The notifications queue's worker concurrency: emails in flight at once. */
const NOTIFICATION_CONCURRENCY = 10;

const notificationIds = (messages: SinkMessage[]) =>
  messages.map((m) => String(m.headers.get('x-notification-id')));

describe('Worker faults', () => {
  describe('Redis down', () => {
    let redis: RedisProcess;
    let app: TestApp;

    beforeAll(async () => {
      redis = new RedisProcess(await freePort());
      await redis.start();
      app = await TestApp.start({ env: { REDIS_URL: redis.url } });
    });

    afterAll(async () => {
      await app.close();
      await redis.stop();
    });

    it('keeps booking while Redis is down and delivers the emails once it is back', async () => {
      const fx = new BookingFixtures(app);
      const doctor = await fx.doctor();
      const patients = [await fx.patient(), await fx.patient(), await fx.patient()];
      await redis.stop();

      const responses = [];
      for (const [i, patient] of patients.entries()) {
        responses.push(
          await app.http
            .post('/api/v1/appointments')
            .set('Authorization', `Bearer ${patient.token}`)
            .send({ doctorId: doctor.id, startsAt: slotAt(20 + i) }),
        );
      }
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(
        app.smtp.messages.filter((m) => patients.some((p) => m.to.includes(p.email))),
      ).toHaveLength(0);

      await redis.start();
      for (const patient of patients) {
        await app.smtp.waitForMessage(
          (m) => m.to.includes(patient.email) && /booking/i.test(m.subject),
          60000,
        );
      }
      await waitFor(() => app.smtp.to(doctor.email).length >= 3, {
        timeoutMs: 30000,
        what: 'three emails to the doctor',
      }).catch((e) => {
        throw new Error(
          e.message + JSON.stringify(app.smtp.messages.map((m) => [m.to, m.subject])),
        );
      });
    }, 180_000);
  });

  describe('worker killed mid-batch', () => {
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
      });
      await worker.start();
    });

    afterAll(async () => {
      await worker.kill();
      await app.close();
      await smtp.close();
    });

    it('delivers every email exactly once across a SIGKILL and a restart', async () => {
      const repo = app.dataSource.getRepository(User);
      const recipients = await repo.save(
        Array.from({ length: 60 }, (_, i) =>
          repo.create({
            email: `crash-${i}-${randomUUID()}@example.test`,
            firstName: 'Crash',
            lastName: `Test${i}`,
            role: UserRole.Patient,
          }),
        ),
      );
      const sender = recipients[0];
      await app.dataSource.transaction((manager) =>
        recordEvents(
          manager,
          [0, 1, 2].map((batch) => ({
            type: EventType.Announcement,
            payload: {
              senderId: sender.id,
              recipientIds: recipients.slice(batch * 20, batch * 20 + 20).map((r) => r.id),
              title: `Clinic news ${batch}`,
              body: 'The clinic opens earlier on Mondays.',
            },
          })),
        ),
      );
      const ours = () =>
        smtp.messages.filter(
          (m) => /^Clinic news/.test(m.subject) && m.to[0]?.startsWith('crash-'),
        );

      await waitFor(() => ours().length >= 1, { timeoutMs: 60000, what: 'the first email' }).catch(
        (error) => {
          throw new Error(`${error.message}\n${worker.output.slice(-3000)}`);
        },
      );
      // Kill at a moment unrelated to any acceptance, with several emails in flight.
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 200));
      await worker.kill('SIGKILL');
      const beforeRestart = ours().length;
      expect(beforeRestart).toBeLessThan(60);

      await worker.start();
      await waitFor(() => new Set(notificationIds(ours())).size === 60, {
        timeoutMs: 120000,
        what: 'all 60 emails',
      });

      const ids = notificationIds(ours());
      const duplicates = ids.length - new Set(ids).size;
      console.log(
        `SIGKILL mid-batch: ${beforeRestart} emails before the kill, ${ids.length} in all for 60 notifications, ${duplicates} repeated`,
      );
      // Only an email the SMTP server accepted in the instant before the kill, before our
      // record of it, can go out again: at most one per email in flight, and always with the
      // same X-Notification-Id and Message-ID, so readers and mailboxes can drop it.
      expect(duplicates).toBeLessThanOrEqual(NOTIFICATION_CONCURRENCY);
      for (const id of new Set(ids)) {
        const copies = ours().filter((m) => m.headers.get('x-notification-id') === id);
        expect(copies.length).toBeLessThanOrEqual(2);
        expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
        expect(copies[0].messageId).toBe(`<${id}@doctor-appointment>`);
      }
      for (const recipient of recipients) {
        expect(ours().filter((m) => m.to.includes(recipient.email)).length).toBeGreaterThanOrEqual(
          1,
        );
      }
      // Every row ends up recorded as sent (the record follows the SMTP server's acceptance).
      await waitFor(
        async () => {
          const [{ pending }] = await app.dataSource.query(
            "SELECT count(*)::int AS pending FROM notifications WHERE type = 'announcement' AND channel = 'email' AND status <> 'sent' AND user_id = ANY($1)",
            [recipients.map((r) => r.id)],
          );
          return pending === 0;
        },
        { what: 'every email notification recorded as sent' },
      );
    }, 300_000);
  });
});
