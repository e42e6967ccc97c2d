import { FakePayPal } from '../fakes/paypal-fake';
import { TestApp } from '../support/test-app';
import { IsolatedDatabase } from '../security/support/database';
import { SecurityFixtures } from '../security/support/fixtures';
import { isProblem, send } from '../security/support/http';

/** The PayPal client gives up after 10 s (its default; not configurable through the environment). */
const BOUND_MS = 25_000;

describe('PayPal timing out', () => {
  let paypal: FakePayPal;
  let database: IsolatedDatabase;
  let app: TestApp;
  let fx: SecurityFixtures;

  beforeAll(async () => {
    paypal = await FakePayPal.start();
    database = await IsolatedDatabase.create('paypal');
    app = await TestApp.start({
      worker: false,
      env: { ...paypal.env(), DATABASE_URL: database.url },
    });
    fx = await SecurityFixtures.create(app, paypal);
  });

  afterAll(async () => {
    await app?.close();
    await paypal?.close();
    await database?.drop();
  });

  it('answers 502 within the client timeout instead of hanging, and serves others meanwhile', async () => {
    const appointmentId = await fx.resource('unpaidAppointment');
    paypal.fail('createOrder', { delayMs: 30_000 });

    const startedAt = Date.now();
    let paymentAnswered = false;
    const pending = send(
      app.baseUrl,
      {
        method: 'POST',
        url: `/api/v1/appointments/${appointmentId}/payments`,
        token: fx.patientA.token,
        body: {},
      },
      BOUND_MS + 5_000,
    ).finally(() => (paymentAnswered = true));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const meanwhile = await send(app.baseUrl, {
      method: 'GET',
      url: '/api/v1/appointments',
      token: fx.patientA.token,
    });
    const answeredFirst = !paymentAnswered;
    const res = await pending;
    const elapsedMs = Date.now() - startedAt;
    console.log(
      `PayPal timeout: payment creation answered ${res.status} after ${elapsedMs} ms; a read meanwhile answered ${meanwhile.status}`,
    );

    expect(res.status).toBe(502);
    expect(isProblem(res)).toBe(true);
    expect((res.json as { code: string }).code).toBe('PAYMENT_PROVIDER_ERROR');
    expect(elapsedMs).toBeLessThan(BOUND_MS);
    expect(meanwhile.status).toBe(200);
    expect(answeredFirst).toBe(true);

    // PayPal back: the appointment can be paid, nothing was left half-done.
    paypal.clearFailures();
    const retry = await send(app.baseUrl, {
      method: 'POST',
      url: `/api/v1/appointments/${appointmentId}/payments`,
      token: fx.patientA.token,
      body: {},
    });
    expect(retry.status).toBe(201);
  }, 60_000);
});
