import { AppointmentStatus, WebhookDeliveryStatus } from '@app/database';
import { WebhookPurgeHandler } from '@app/webhooks';
import { FakePayPal } from './fakes/paypal-fake';
import { auth, PaymentFlow } from './fakes/payment-flow';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

const ALL_EVENTS = [
  'appointment.booked',
  'appointment.confirmed',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.declined',
  'appointment.expired',
  'appointment.completed',
  'appointment.no_show',
  'payment.captured',
  'payment.refunded',
];

interface Endpoint {
  id: string;
  secret: string;
  path: string;
}

describe('Outgoing webhooks', () => {
  let fake: FakePayPal;
  let app: TestApp;
  let flow: PaymentFlow;
  let fx: BookingFixtures;
  let receiver: WebhookReceiver;
  let pathCount = 0;

  async function endpoint(owner: Actor, events = ALL_EVENTS, path?: string): Promise<Endpoint> {
    const name = path ?? `r${(pathCount += 1)}`;
    const res = await app.http
      .post('/api/v1/webhooks')
      .set(auth(owner))
      .send({ url: receiver.url(name), events, description: `receiver ${name}` })
      .expect(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    receiver.trust(name, res.body.secret);
    return { id: res.body.id, secret: res.body.secret, path: name };
  }

  const types = (received: ReceivedWebhook[]) => received.map((r) => r.body.type).sort();

  beforeAll(async () => {
    fake = await FakePayPal.start();
    receiver = await WebhookReceiver.start();
    app = await TestApp.start({
      env: { ...fake.env(), WEBHOOK_RETRY_SCHEDULE_SECONDS: '1' },
    });
    flow = new PaymentFlow(app, fake);
    fx = new BookingFixtures(app);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await receiver?.close();
  });

  it('delivers booked, captured, confirmed, rescheduled, cancelled and refunded once each, signed, to the right endpoints', async () => {
    const doctor = await fx.doctor({ feeMinor: 4500 });
    const otherDoctor = await fx.doctor();
    const admin = await fx.admin();
    const mine = await endpoint(doctor);
    const theirs = await endpoint(otherDoctor);
    const everyone = await endpoint(admin);

    const patient = await fx.patient();
    const booked = await app.http
      .post('/api/v1/appointments')
      .set(auth(patient))
      .send({ doctorId: doctor.id, startsAt: slotAt(72), reason: 'recurring migraine' })
      .expect(201);
    const payment = await flow.payment({ doctor, patient, appointmentId: booked.body.id });
    fake.approve(payment.providerOrderId!);
    await flow.capture(patient, payment.id).expect(202);
    await flow.waitForAppointment(booked.body.id, AppointmentStatus.Confirmed);
    const moved = await app.http
      .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
      .set(auth(patient))
      .send({ startsAt: slotAt(96) })
      .expect(200);
    await app.http
      .post(`/api/v1/appointments/${moved.body.id}/cancel`)
      .set(auth(doctor))
      .send({ reason: 'feeling worse, went to hospital' })
      .expect(200);

    const expected = [
      'appointment.booked',
      'appointment.cancelled',
      'appointment.confirmed',
      'appointment.rescheduled',
      'payment.captured',
      'payment.refunded',
    ];
    await waitFor(() => types(receiver.at(mine.path)).length >= expected.length, {
      timeoutMs: 30000,
      what: 'six webhooks at the doctor endpoint',
    });
    await waitFor(() => receiver.at(everyone.path).length >= expected.length, {
      timeoutMs: 15000,
      what: 'six webhooks at the admin endpoint',
    });
    // Anything late or repeated would show up within this pause.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    for (const path of [mine.path, everyone.path]) {
      const got = receiver.at(path);
      expect(types(got)).toEqual(expected);
      expect(new Set(got.map((r) => r.id)).size).toBe(expected.length);
      for (const delivery of got) {
        expect(delivery.verified).toBe(true);
        expect(delivery.signature).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
        // Health data never leaves in a webhook.
        expect(delivery.raw).not.toMatch(/migraine|hospital/);
        expect(delivery.body.data).not.toHaveProperty('reason');
        expect(delivery.body.data).not.toHaveProperty('answers');
        expect(Date.parse(delivery.body.timestamp)).not.toBeNaN();
      }
    }
    expect(receiver.at(theirs.path)).toHaveLength(0);

    const got = receiver.at(mine.path);
    const bookedHook = got.find((r) => r.body.type === 'appointment.booked')!;
    // The resource as GET answers it to the doctor, minus health data.
    const asDoctorSeesIt = await app.http
      .get(`/api/v1/appointments/${booked.body.id}`)
      .set(auth(doctor))
      .expect(200);
    expect(Object.keys(bookedHook.body.data).sort()).toEqual(
      Object.keys(asDoctorSeesIt.body)
        .filter((key) => !['reason', 'cancellationReason', 'answers'].includes(key))
        .sort(),
    );
    expect(bookedHook.body.data).toMatchObject({ id: booked.body.id, doctorId: doctor.id });
    const refunded = got.find((r) => r.body.type === 'payment.refunded')!;
    expect(refunded.body.data).toMatchObject({ id: payment.id, status: 'refunded' });
    expect(got.find((r) => r.body.type === 'appointment.rescheduled')!.body.data).toMatchObject({
      id: moved.body.id,
      rescheduledFromId: booked.body.id,
    });

    const log = await app.http
      .get(`/api/v1/webhooks/${mine.id}/deliveries`)
      .set(auth(doctor))
      .expect(200);
    expect(log.body.total).toBe(expected.length);
    for (const item of log.body.items) {
      expect(item).toMatchObject({
        status: WebhookDeliveryStatus.Succeeded,
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
      });
    }
  }, 90_000);

  it('retries a receiver that answers 500 twice with the same webhook-id, then succeeds', async () => {
    const doctor = await fx.doctor();
    const flaky = await endpoint(doctor);
    receiver.behave(flaky.path, { statuses: [500, 500] });

    const sent = await app.http
      .post(`/api/v1/webhooks/${flaky.id}/test`)
      .set(auth(doctor))
      .expect(202);
    expect(sent.body).toMatchObject({ type: 'webhook.test', status: 'pending', attempts: 0 });

    await waitFor(() => receiver.at(flaky.path).length >= 3, {
      timeoutMs: 20000,
      what: 'three attempts',
    });
    const attempts = receiver.at(flaky.path);
    expect(new Set(attempts.map((a) => a.id))).toEqual(new Set([sent.body.eventId]));
    expect(attempts.every((a) => a.verified)).toBe(true);
    expect(attempts[0].body.type).toBe('webhook.test');
    const delivery = await waitFor(
      async () => {
        const res = await app.http
          .get(`/api/v1/webhooks/${flaky.id}/deliveries`)
          .set(auth(doctor))
          .expect(200);
        const item = res.body.items[0];
        return item?.status === 'succeeded' ? item : null;
      },
      { what: 'the delivery to succeed' },
    );
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
  }, 60_000);

  it('never lets a receiver that sleeps 15 s delay another endpoint beyond 2 s', async () => {
    const slowDoctor = await fx.doctor();
    const fastDoctor = await fx.doctor();
    const slow = await endpoint(slowDoctor);
    const fast = await endpoint(fastDoctor);
    receiver.behave(slow.path, { delayMs: 15000 });

    const patient = await fx.patient();
    let hour = 40;
    // Commit → delivery at the fast endpoint, for three bookings.
    const fastLags = async (): Promise<number[]> => {
      const lags: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const committed = Date.now();
        const res = await app.http
          .post('/api/v1/appointments')
          .set(auth(patient))
          .send({ doctorId: fastDoctor.id, startsAt: slotAt((hour += 1)) })
          .expect(201);
        const hook = await waitFor(
          () =>
            receiver.at(fast.path).find((r) => (r.body.data as { id: string }).id === res.body.id),
          { timeoutMs: 15000, what: 'the fast endpoint delivery' },
        );
        lags.push(hook.receivedAt - committed);
      }
      return lags;
    };
    // The same path without the slow endpoint's load: what the machine takes anyway.
    const alone = await fastLags();
    // Enough deliveries to the slow endpoint to fill its share of the queue and more.
    for (let i = 0; i < 8; i += 1) {
      await app.http
        .post('/api/v1/appointments')
        .set(auth(patient))
        .send({ doctorId: slowDoctor.id, startsAt: slotAt(30 + i) })
        .expect(201);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beside = await fastLags();
    expect(Math.max(...beside) - Math.max(...alone)).toBeLessThan(2000);

    // The slow endpoint's attempts time out after 10 s and are retried later.
    const failedAttempt = await waitFor(
      async () => {
        const [row] = await app.dataSource.query(
          `SELECT last_error FROM webhook_deliveries WHERE endpoint_id = $1 AND last_error IS NOT NULL LIMIT 1`,
          [slow.id],
        );
        return row;
      },
      { timeoutMs: 20000, what: 'a timed-out attempt' },
    );
    expect(failedAttempt.last_error).toBe('no answer within 10 s');
    await app.http
      .patch(`/api/v1/webhooks/${slow.id}`)
      .set(auth(slowDoctor))
      .send({ enabled: false })
      .expect(200);
  }, 90_000);

  it('rotates the secret: both secrets sign for 24 h, so receivers on either verify', async () => {
    const doctor = await fx.doctor();
    const hook = await endpoint(doctor);
    const rotated = await app.http
      .post(`/api/v1/webhooks/${hook.id}/rotate-secret`)
      .set(auth(doctor))
      .expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const expires = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
    expect(Math.abs(expires - 24 * 3600_000)).toBeLessThan(60_000);

    for (const secret of [hook.secret, rotated.body.secret]) {
      receiver.trust(hook.path, secret);
      const before = receiver.at(hook.path).length;
      await app.http.post(`/api/v1/webhooks/${hook.id}/test`).set(auth(doctor)).expect(202);
      const got = await waitFor(() => receiver.at(hook.path)[before], { what: 'a test event' });
      expect(got.signature.split(' ')).toHaveLength(2);
      expect(got.verified).toBe(true);
    }
    // A secret of another endpoint does not verify.
    receiver.trust(hook.path, 'whsec_' + Buffer.alloc(24, 7).toString('base64'));
    const before = receiver.at(hook.path).length;
    await app.http.post(`/api/v1/webhooks/${hook.id}/test`).set(auth(doctor)).expect(202);
    expect((await waitFor(() => receiver.at(hook.path)[before])).verified).toBe(false);
  }, 30_000);

  it('redelivers an event with the same webhook-id as a new attempt', async () => {
    const doctor = await fx.doctor();
    const hook = await endpoint(doctor);
    const sent = await app.http.post(`/api/v1/webhooks/${hook.id}/test`).set(auth(doctor));
    await waitFor(() => receiver.at(hook.path).length === 1, { what: 'the first delivery' });
    await waitFor(
      async () =>
        (
          await app.dataSource.query(`SELECT status FROM webhook_deliveries WHERE id = $1`, [
            sent.body.id,
          ])
        )[0]?.status === 'succeeded',
    );
    const again = await app.http
      .post(`/api/v1/webhooks/${hook.id}/deliveries/${sent.body.id}/redeliver`)
      .set(auth(doctor))
      .expect(202);
    expect(again.body).toMatchObject({ id: sent.body.id, status: 'pending', attempts: 1 });
    await waitFor(() => receiver.at(hook.path).length === 2, { what: 'the redelivery' });
    const [first, second] = receiver.at(hook.path);
    expect(second.id).toBe(first.id);
    expect(second.raw).toBe(first.raw);
    await waitFor(async () => {
      const res = await app.http
        .get(`/api/v1/webhooks/${hook.id}/deliveries`)
        .set(auth(doctor))
        .expect(200);
      return res.body.items[0].status === 'succeeded' && res.body.items[0].attempts === 2;
    });
  }, 30_000);

  it('answers 404 for another doctor’s endpoint and 403 to patients; admins see every endpoint', async () => {
    const owner = await fx.doctor();
    const stranger = await fx.doctor();
    const admin = await fx.admin();
    const patient = await fx.patient();
    const hook = await endpoint(owner);
    const sent = await app.http.post(`/api/v1/webhooks/${hook.id}/test`).set(auth(owner));

    const attempts = [
      app.http.get(`/api/v1/webhooks/${hook.id}`),
      app.http.patch(`/api/v1/webhooks/${hook.id}`).send({ enabled: false }),
      app.http.delete(`/api/v1/webhooks/${hook.id}`),
      app.http.post(`/api/v1/webhooks/${hook.id}/rotate-secret`),
      app.http.get(`/api/v1/webhooks/${hook.id}/deliveries`),
      app.http.post(`/api/v1/webhooks/${hook.id}/deliveries/${sent.body.id}/redeliver`),
      app.http.post(`/api/v1/webhooks/${hook.id}/test`),
    ];
    for (const attempt of attempts) {
      const res = await attempt.set(auth(stranger));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    const list = await app.http.get('/api/v1/webhooks').set(auth(stranger)).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(hook.id);

    await app.http
      .post('/api/v1/webhooks')
      .set(auth(patient))
      .send({ url: receiver.url('p'), events: ['appointment.booked'] })
      .expect(403);
    await app.http.get(`/api/v1/webhooks/${hook.id}`).set(auth(patient)).expect(403);

    const seen = await app.http.get(`/api/v1/webhooks/${hook.id}`).set(auth(admin)).expect(200);
    expect(seen.body).toMatchObject({ id: hook.id, ownerId: owner.id, enabled: true });
    expect(seen.body).not.toHaveProperty('secret');
    await app.http.delete(`/api/v1/webhooks/${hook.id}`).set(auth(owner)).expect(204);
    await app.http.get(`/api/v1/webhooks/${hook.id}`).set(auth(owner)).expect(404);
  });

  it('validates the body: events must be known, unknown fields are refused', async () => {
    const doctor = await fx.doctor();
    const bad = [
      { url: receiver.url('v'), events: ['appointment.exploded'] },
      { url: receiver.url('v'), events: [] },
      { url: receiver.url('v'), events: ['webhook.test'] },
      { url: receiver.url('v'), events: ['appointment.booked'], ownerId: doctor.id },
      { url: 'not a url', events: ['appointment.booked'] },
    ];
    for (const body of bad) {
      const res = await app.http.post('/api/v1/webhooks').set(auth(doctor)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('stores the secret encrypted, never in clear', async () => {
    const doctor = await fx.doctor();
    const hook = await endpoint(doctor);
    const [row] = await app.dataSource.query(
      `SELECT to_jsonb(w) AS row FROM webhook_endpoints w WHERE id = $1`,
      [hook.id],
    );
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(hook.secret);
    expect(stored).not.toContain(hook.secret.slice('whsec_'.length));
    expect(row.row.secret_ciphertext).toMatch(/^v1:/);
  });

  it('disables an endpoint failing every delivery for 3 days and emails its owner', async () => {
    const doctor = await fx.doctor();
    const hook = await endpoint(doctor, ['appointment.booked']);
    receiver.behave(hook.path, { statuses: Array(50).fill(500) });
    await app.dataSource.query(
      `UPDATE webhook_endpoints SET failing_since = now() - interval '3 days 1 minute' WHERE id = $1`,
      [hook.id],
    );
    const patient = await fx.patient();
    await app.http
      .post('/api/v1/appointments')
      .set(auth(patient))
      .send({ doctorId: doctor.id, startsAt: slotAt(50) })
      .expect(201);

    const email = await app.smtp.waitForMessage(
      (m) => m.to.includes(doctor.email) && m.subject === 'A webhook endpoint was disabled',
      30000,
    );
    expect(email.text).toContain(hook.path);
    const res = await app.http.get(`/api/v1/webhooks/${hook.id}`).set(auth(doctor)).expect(200);
    expect(res.body.enabled).toBe(false);
    expect(res.body.autoDisabledAt).not.toBeNull();

    // Switched on again by its owner, it starts a fresh failure clock.
    const on = await app.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(auth(doctor))
      .send({ enabled: true })
      .expect(200);
    expect(on.body).toMatchObject({ enabled: true, autoDisabledAt: null });
    await app.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(auth(doctor))
      .send({ enabled: false })
      .expect(200);
  }, 60_000);

  it('fails a delivery after WEBHOOK_RETRY_DAYS, counted in /metrics', async () => {
    const doctor = await fx.doctor();
    const hook = await endpoint(doctor);
    receiver.behave(hook.path, { statuses: Array(50).fill(503) });
    const sent = await app.http.post(`/api/v1/webhooks/${hook.id}/test`).set(auth(doctor));
    await waitFor(() => receiver.at(hook.path).length >= 1, { what: 'the first attempt' });
    await app.dataSource.query(
      `UPDATE webhook_deliveries SET created_at = now() - interval '3 days 1 minute' WHERE id = $1`,
      [sent.body.id],
    );
    const failed = await waitFor(
      async () => {
        const [row] = await app.dataSource.query(
          `SELECT status, last_error, last_status_code FROM webhook_deliveries WHERE id = $1`,
          [sent.body.id],
        );
        return row.status === 'failed' ? row : null;
      },
      { timeoutMs: 15000, what: 'the delivery to fail' },
    );
    expect(failed).toMatchObject({ last_error: 'HTTP 503', last_status_code: 503 });
    const metrics = await app.http.get('/metrics').expect(200);
    const line = /^webhook_deliveries_failed (\d+)$/m.exec(metrics.text);
    expect(Number(line?.[1])).toBeGreaterThanOrEqual(1);
    await app.http.delete(`/api/v1/webhooks/${hook.id}`).set(auth(doctor)).expect(204);
  }, 30_000);

  it('purges the delivery log after 30 days', async () => {
    const doctor = await fx.doctor();
    const hook = await endpoint(doctor);
    const sent = await app.http.post(`/api/v1/webhooks/${hook.id}/test`).set(auth(doctor));
    await waitFor(() => receiver.at(hook.path).length === 1);
    await waitFor(
      async () =>
        (
          await app.dataSource.query(`SELECT status FROM webhook_deliveries WHERE id = $1`, [
            sent.body.id,
          ])
        )[0]?.status === 'succeeded',
    );
    const recent = await app.http.post(`/api/v1/webhooks/${hook.id}/test`).set(auth(doctor));
    await app.dataSource.query(
      `UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE id = $1`,
      [sent.body.id],
    );
    await app.worker!.get(WebhookPurgeHandler, { strict: false }).run();
    const left = await app.dataSource.query(
      `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`,
      [hook.id],
    );
    expect(left.map((r: { id: string }) => r.id)).toEqual([recent.body.id]);
  });

  describe('with OUTBOUND_ALLOW_PRIVATE off', () => {
    let strict: TestApp;

    beforeAll(async () => {
      strict = await TestApp.start({ worker: false, env: { OUTBOUND_ALLOW_PRIVATE: 'false' } });
    });

    afterAll(async () => {
      await strict?.close();
    });

    it.each([
      ['http://127.0.0.1:9/hook', 'https'],
      ['https://127.0.0.1/hook', 'loopback'],
      ['https://10.0.0.1/hook', 'private'],
      ['https://192.168.0.10/hook', 'private'],
      ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
      ['https://[::1]/hook', 'loopback'],
      ['https://[fd12::1]/hook', 'uniqueLocal'],
      ['https://localhost/hook', 'loopback'],
      ['ftp://example.com/hook', 'ftp'],
    ])('refuses %s with 400', async (url, reason) => {
      const doctor = await createStrictDoctor(strict);
      const res = await strict.http
        .post('/api/v1/webhooks')
        .set(auth(doctor))
        .send({ url, events: ['appointment.booked'] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringContaining(reason) }]);
    });
  });
});

function createStrictDoctor(app: TestApp): Promise<Actor> {
  return new BookingFixtures(app).doctor();
}
