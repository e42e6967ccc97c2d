import { AppointmentStatus, PaymentStatus } from '@app/database';
import { FakePayPal } from './fakes/paypal-fake';
import { auth, PaymentFlow } from './fakes/payment-flow';
import { bearer, loginAdmin, registerAndLogin } from './support/auth-helpers';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** Two quick tries in the queue, then the sweeper every second: outages outlast the queue's retries. */
const SHORT_RETRIES = {
  JOB_ATTEMPTS: '2',
  JOB_BACKOFF_MS: '100',
  WORK_SWEEP_SECONDS: '1',
  WORK_RETRY_SECONDS: '1',
};

/** Makes the next `times` writes of `operation` on `table` fail, as a database fault would. */
async function injectFaults(app: TestApp, table: string, operation: string, times: number) {
  const name = `fault_${table}_${operation.toLowerCase()}`;
  await app.dataSource.query(`CREATE SEQUENCE IF NOT EXISTS ${name}`);
  await app.dataSource.query(
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$
     BEGIN
       -- Sequences ignore rollbacks: each failed try counts once.
       IF nextval('${name}') <= ${times} THEN RAISE EXCEPTION 'injected fault'; END IF;
       RETURN NEW;
     END $$ LANGUAGE plpgsql`,
  );
  await app.dataSource.query(
    `CREATE OR REPLACE TRIGGER ${name} BEFORE ${operation} ON ${table}
       FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  );
  return {
    /** How many writes were attempted so far. */
    tries: async () => {
      const [row] = await app.dataSource.query(`SELECT last_value, is_called FROM ${name}`);
      return row.is_called ? Number(row.last_value) : 0;
    },
    remove: () => app.dataSource.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}`),
  };
}

async function workRows(app: TestApp, type: string, since: Date) {
  return app.dataSource.query(
    `SELECT id, state, requeues, attempts, last_error FROM outbox_events
      WHERE type = $1 AND created_at >= $2 ORDER BY created_at`,
    [type, since],
  );
}

describe('Durable background work', () => {
  describe('an SMTP outage longer than the queue retries', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({ env: SHORT_RETRIES });
    });

    afterAll(async () => {
      app.smtp.down = false;
      await app?.close();
    });

    it('delivers every email once after the server is back', async () => {
      const since = new Date();
      app.smtp.down = true;
      const users = await Promise.all([1, 2, 3].map(() => registerAndLogin(app)));

      // Every email job used up its queue tries and went round the sweeper at least twice.
      await waitFor(
        async () => {
          const rows = await workRows(app, 'notification.email', since);
          return rows.length === 3 && rows.every((r: { requeues: number }) => r.requeues >= 2);
        },
        { what: 'the email work to outlast its queue retries', timeoutMs: 30_000 },
      );
      expect(app.smtp.messages).toHaveLength(0);
      const [pending] = await workRows(app, 'notification.email', since);
      expect(pending.last_error).toContain('Service not available');

      app.smtp.down = false;
      for (const user of users) {
        await app.smtp.waitForMessage((m) => m.to.includes(user.email), 30_000);
      }
      await waitFor(
        async () =>
          (await workRows(app, 'notification.email', since)).every(
            (r: { state: string }) => r.state === 'done',
          ),
        { what: 'the email work to be done' },
      );
      for (const user of users) expect(app.smtp.to(user.email)).toHaveLength(1);
      const statuses = await app.dataSource.query(
        `SELECT n.status FROM notifications n WHERE n.channel = 'email' AND n.created_at >= $1`,
        [since],
      );
      expect(statuses.map((r: { status: string }) => r.status)).toEqual(['sent', 'sent', 'sent']);
    });
  });

  describe('work past its deadline', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({ env: { ...SHORT_RETRIES, WORK_DEADLINE_SECONDS: '3' } });
    });

    afterAll(async () => {
      app.smtp.down = false;
      await app?.close();
    });

    it('is marked failed, counted in /metrics, listed for admins, and can be retried', async () => {
      const since = new Date();
      app.smtp.down = true;
      const user = await registerAndLogin(app);
      const [failed] = await waitFor(
        async () => {
          const rows = await workRows(app, 'notification.email', since);
          return rows[0]?.state === 'failed' ? rows : null;
        },
        { what: 'the email work to fail for good', timeoutMs: 30_000 },
      );
      const [notification] = await app.dataSource.query(
        `SELECT status, data FROM notifications WHERE user_id = $1 AND channel = 'email'`,
        [user.user.id],
      );
      expect(notification.status).toBe('failed');

      const metrics = await app.http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^work_failed\{kind="job",type="notification\.email"\} 1$/m);

      const admin = await loginAdmin(app);
      const list = await app.http
        .get('/api/v1/admin/work?state=failed&type=notification.email')
        .set(bearer(admin.accessToken))
        .expect(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items[0]).toMatchObject({
        id: failed.id,
        kind: 'job',
        type: 'notification.email',
        state: 'failed',
      });
      expect(list.body.items[0]).not.toHaveProperty('payload');
      await app.http.get('/api/v1/admin/work').set(bearer(user.accessToken)).expect(403);

      app.smtp.down = false;
      const retried = await app.http
        .post(`/api/v1/admin/work/${failed.id}/retry`)
        .set(bearer(admin.accessToken))
        .expect(200);
      expect(retried.body.state).toBe('pending');
      await waitFor(
        async () => (await workRows(app, 'notification.email', since))[0].state === 'done',
        { what: 'the retried work to be done' },
      );
      await app.smtp.waitForMessage((m) => m.to.includes(user.email));
      expect(app.smtp.to(user.email)).toHaveLength(1);
      await app.http
        .post(`/api/v1/admin/work/00000000-0000-4000-8000-000000000000/retry`)
        .set(bearer(admin.accessToken))
        .expect(404);
    });
  });

  describe('payments', () => {
    let fake: FakePayPal;
    let app: TestApp;
    let flow: PaymentFlow;

    beforeAll(async () => {
      fake = await FakePayPal.start();
      app = await TestApp.start({ env: { ...fake.env(), ...SHORT_RETRIES } });
      flow = new PaymentFlow(app, fake);
    });

    afterAll(async () => {
      await app?.close();
      await fake?.close();
    });

    beforeEach(() => fake.reset());

    it('tells both sides once and refunds once when the cancellation event and the refund each fail 8 times', async () => {
      const paid = await flow.paid(48);
      const since = new Date();
      const faults = await injectFaults(app, 'notifications', 'INSERT', 8);
      fake.fail('refund', { status: 503, times: 8 });
      try {
        await app.http
          .post(`/api/v1/appointments/${paid.appointmentId}/cancel`)
          .set(auth(paid.patient))
          .send({ reason: 'Plans changed' })
          .expect(200);
        // Four rounds of two tries each, the sweeper waiting 1, 2, 4 and 8 s in between.
        await waitFor(
          async () => (await flow.paymentRow(paid.payment.id))?.status === PaymentStatus.Refunded,
          { what: 'the refund', timeoutMs: 60_000 },
        );
        await app.smtp.waitForMessage(
          (m) => m.to.includes(paid.patient.email) && m.subject === 'Appointment cancelled',
          60_000,
        );
        expect(await faults.tries()).toBeGreaterThanOrEqual(9);
      } finally {
        await faults.remove();
      }
      expect(fake.calls('refund')).toBe(9);
      // One refund at PayPal: every call carried the refund's id as PayPal-Request-Id.
      expect(new Set(fake.requests('refund').map((r) => r.requestId)).size).toBe(1);
      expect(fake.refunds()).toHaveLength(1);
      const refunds = await app.dataSource.query(
        'SELECT status FROM refunds WHERE payment_id = $1',
        [paid.payment.id],
      );
      expect(refunds).toEqual([{ status: 'completed' }]);
      // Its queue tries ran out at least once (other events' inserts share the 8 faults).
      const [cancelled] = await workRows(app, 'appointment.cancelled', since);
      expect(cancelled.requeues).toBeGreaterThanOrEqual(1);
      await waitFor(
        async () =>
          app.smtp.to(paid.doctor.email).some((m) => m.subject.startsWith('Appointment cancelled')),
        { what: "the doctor's cancellation email" },
      );
      const cancelMails = (email: string) =>
        app.smtp.to(email).filter((m) => m.subject.startsWith('Appointment cancelled'));
      expect(cancelMails(paid.patient.email)).toHaveLength(1);
      expect(cancelMails(paid.doctor.email)).toHaveLength(1);
    });

    it('processes a webhook whose job ran out of tries, through the sweeper', async () => {
      const held = await flow.held();
      const payment = await flow.payment(held);
      fake.approve(payment.providerOrderId!);
      const faults = await injectFaults(app, 'payment_events', 'UPDATE', 4);
      let webhookId = '';
      try {
        const event = fake.buildEvent('CHECKOUT.ORDER.APPROVED', {
          orderId: payment.providerOrderId!,
        });
        webhookId = event.id;
        const signed = fake.signedWebhook(event);
        await app.http
          .post('/api/v1/payments/webhooks/paypal')
          .set(signed.headers)
          .send(signed.body)
          .expect(200);
        await flow.waitForAppointment(held.appointmentId, AppointmentStatus.Confirmed);
        await waitFor(async () => (await faults.tries()) >= 5, {
          what: 'the webhook to be processed',
          timeoutMs: 30_000,
        });
      } finally {
        await faults.remove();
      }
      const [row] = await app.dataSource.query(
        `SELECT state, requeues FROM outbox_events WHERE type = 'payment.webhook'
          AND payload->>'paymentEventId' = (SELECT id::text FROM payment_events
            WHERE provider_event_id = $1)`,
        [webhookId],
      );
      expect(row.state).toBe('done');
      expect(row.requeues).toBeGreaterThanOrEqual(1);
      await waitFor(
        async () =>
          (
            await app.dataSource.query(
              `SELECT count(*)::int AS n FROM payment_events WHERE processed_at IS NULL`,
            )
          )[0].n === 0,
        { what: 'the inbox to be empty', timeoutMs: 30_000 },
      );
      expect(flow.callsFor('capture', payment.providerOrderId!)).toBe(1);
    });

    it('confirms from a PayPal webhook with one inbox row and at most three jobs before the emails', async () => {
      const held = await flow.held();
      const payment = await flow.payment(held);
      fake.approve(payment.providerOrderId!);
      const since = new Date();
      const event = fake.buildEvent('CHECKOUT.ORDER.APPROVED', {
        orderId: payment.providerOrderId!,
      });
      const signed = fake.signedWebhook(event);
      await app.http
        .post('/api/v1/payments/webhooks/paypal')
        .set(signed.headers)
        .send(signed.body)
        .expect(200);
      await app.smtp.waitForMessage(
        (m) => m.to.includes(held.patient.email) && m.subject === 'Appointment confirmed',
      );
      await flow.waitForAppointment(held.appointmentId, AppointmentStatus.Confirmed);

      expect(await flow.count('payment_events WHERE provider_event_id = $1', [event.id])).toBe(1);
      const work: { kind: string; type: string }[] = await app.dataSource.query(
        `SELECT kind, type FROM outbox_events WHERE created_at >= $1
          AND type NOT IN ('notification.email', 'booking.reminder') ORDER BY created_at, type`,
        [since],
      );
      expect(work.map((w) => `${w.kind}:${w.type}`)).toEqual([
        'job:payment.webhook',
        'event:appointment.confirmed',
        'event:payment.captured',
      ]);
    });
  });
});
