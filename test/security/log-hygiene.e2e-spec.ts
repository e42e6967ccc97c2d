import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { FakePayPal } from '../fakes/paypal-fake';
import { SinkMessage, SmtpSink, tokenFromEmail } from '../support/smtp-sink';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { RawRequest, RawResponse, send } from './support/http';
import { AppProcess } from './support/processes';
import { freePort } from '../support/processes';

const hex = () => randomBytes(6).toString('hex');

describe('Log hygiene', () => {
  const marker = `log-hygiene-${hex()}`;
  /** Values that must never reach a log line, by name. */
  const secrets = new Map<string, string>();
  const secret = (name: string, value: string) => {
    secrets.set(name, value);
    return value;
  };
  const adminEmail = `ops.${hex()}@example.test`;
  const adminPassword = secret('admin password', `Admin-${hex()}-pass`);
  const jwtSecret = secret('JWT_SECRET', `jwt-${hex()}-${hex()}-${hex()}-secret`);
  const paypalSecret = secret('PAYPAL_CLIENT_SECRET', `paypal-${hex()}-secret`);

  let smtp: SmtpSink;
  let paypal: FakePayPal;
  let api: AppProcess;
  let worker: AppProcess;
  let bouncing: AppProcess | undefined;
  let baseUrl: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    paypal = await FakePayPal.start({ clientSecret: paypalSecret });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      ...paypal.env(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      QUEUE_PREFIX: `${TestApp.queuePrefix()}_logs`,
      SMTP_URL: smtp.url,
      JWT_SECRET: jwtSecret,
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    api = new AppProcess('api', env);
    worker = new AppProcess('worker', env);
    await Promise.all([
      api.start(async () => (await fetch(`${baseUrl}/health/live`).catch(() => null))?.ok === true),
      worker.start(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop(), bouncing?.stop()]);
    await paypal?.close();
    await smtp?.close();
  });

  const call = async (req: RawRequest, expected: number): Promise<RawResponse> => {
    const res = await send(baseUrl, { ...req, headers: { 'X-Request-Id': `${marker}-${hex()}`, ...req.headers } });
    if (res.status !== expected) throw new Error(`${res.request} answered ${res.status}, not ${expected}: ${res.text}`);
    return res;
  };
  const tokensOf = (res: RawResponse, label: string) => {
    const body = res.json as { accessToken: string; refreshToken: string };
    return { access: secret(`${label} access token`, body.accessToken), refresh: secret(`${label} refresh token`, body.refreshToken) };
  };
  const mail = (to: string, what: RegExp): Promise<SinkMessage> =>
    smtp.waitForMessage((m) => m.to.includes(to) && what.test(m.text), 60_000);

  it('runs a full flow with canary passwords, tokens, notes and email', async () => {
    const email = secret('patient email', `canary.${hex()}@example.test`);
    const password = secret('patient password', `Canary-${hex()}-password`);

    // The operator's admin sets up a paid doctor who works all day.
    const admin = tokensOf(await call({ method: 'POST', url: '/api/v1/auth/login', body: { email: adminEmail, password: adminPassword } }, 200), 'admin');
    const doctorEmail = `doctor.${hex()}@example.test`;
    const doctorPassword = secret('doctor password', `Doctor-${hex()}-password`);
    await call({ method: 'POST', url: '/api/v1/admin/doctors', token: admin.access, body: { email: doctorEmail, firstName: 'Dana', lastName: 'Scully', password: doctorPassword } }, 201);
    const doctorLogin = await call({ method: 'POST', url: '/api/v1/auth/login', body: { email: doctorEmail, password: doctorPassword } }, 200);
    const doctor = { ...tokensOf(doctorLogin, 'doctor'), id: (doctorLogin.json as { user: { id: string } }).user.id };
    await call({ method: 'PATCH', url: '/api/v1/doctors/me', token: doctor.access, body: { consultationFee: { amount: '45.00', currency: 'USD' } } }, 200);
    const week = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startTime: '00:00', endTime: '24:00' }));
    await call({ method: 'PUT', url: '/api/v1/doctors/me/availability', token: doctor.access, body: { rules: week } }, 200);

    // The patient: register, verify, sign in, refresh.
    await call({ method: 'POST', url: '/api/v1/auth/register', body: { email, password, firstName: 'Cana', lastName: 'Ry', phone: '+44 20 7946 0958' } }, 201);
    const verifyToken = secret('email verification token', tokenFromEmail(await mail(email, /verify/i)));
    await call({ method: 'POST', url: '/api/v1/auth/verify-email', body: { token: verifyToken } }, 204);
    const first = tokensOf(await call({ method: 'POST', url: '/api/v1/auth/login', body: { email, password } }, 200), 'first');
    const session = tokensOf(await call({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: first.refresh } }, 200), 'refreshed');
    await call({ method: 'GET', url: '/api/v1/me', token: session.access }, 200);

    // Refused attempts carry secrets too.
    await call({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: secret('wrong password', `Wrong-${hex()}`) } }, 401);
    await call({ method: 'GET', url: '/api/v1/me', token: secret('forged token', `forged.${hex()}.token`) }, 401);
    await call({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: first.refresh } }, 401); // reuse: family revoked
    const second = tokensOf(await call({ method: 'POST', url: '/api/v1/auth/login', body: { email, password } }, 200), 'second');

    // Book with a note, pay, open the live stream with a ticket, cancel with a note.
    const slot = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 72 * 3_600_000).toISOString();
    const reason = secret('booking reason', `Canary symptoms ${hex()}`);
    const booked = await call({ method: 'POST', url: '/api/v1/appointments', token: second.access, headers: { 'Idempotency-Key': hex() }, body: { doctorId: doctor.id, startsAt: slot, reason } }, 201);
    const appointmentId = (booked.json as { id: string }).id;
    const payment = await call({ method: 'POST', url: `/api/v1/appointments/${appointmentId}/payments`, token: second.access, body: {} }, 201);
    const { id: paymentId, providerOrderId } = payment.json as { id: string; providerOrderId: string };
    paypal.approve(providerOrderId);
    await call({ method: 'POST', url: `/api/v1/payments/${paymentId}/capture`, token: second.access, body: {} }, 202);
    await waitFor(
      async () => ((await call({ method: 'GET', url: `/api/v1/payments/${paymentId}`, token: second.access }, 200)).json as { status: string }).status === 'captured',
      { timeoutMs: 60_000, intervalMs: 250, what: 'the payment to be captured' },
    );
    const ticket = await call({ method: 'POST', url: '/api/v1/notifications/stream-ticket', token: second.access }, 201);
    const streamTicket = secret('stream ticket', (ticket.json as { ticket: string }).ticket);
    await call({ method: 'GET', url: `/api/v1/notifications/stream?ticket=${streamTicket}` }, 200);
    const cancelReason = secret('cancellation reason', `Canary cancel note ${hex()}`);
    await call({ method: 'POST', url: `/api/v1/appointments/${appointmentId}/cancel`, token: second.access, body: { reason: cancelReason } }, 200);
    await waitFor(() => paypal.refunds().length > 0, { timeoutMs: 60_000, what: 'the refund at PayPal' });

    // Forgotten password: reset with a new one, sign in with it, sign out.
    await call({ method: 'POST', url: '/api/v1/auth/forgot-password', body: { email } }, 202);
    const resetToken = secret('password reset token', tokenFromEmail(await mail(email, /reset-password/)));
    const newPassword = secret('new password', `Renewed-${hex()}-password`);
    await call({ method: 'POST', url: '/api/v1/auth/reset-password', body: { token: resetToken, password: newPassword } }, 204);
    const last = tokensOf(await call({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: newPassword } }, 200), 'last');
    await call({ method: 'POST', url: '/api/v1/auth/logout', token: last.access, body: { refreshToken: last.refresh } }, 204);
    await mail(email, /cancel/i);

  }, 240_000);

  it('keeps a bounced recipient out of the failed-job log', async () => {
    // SMTP servers quote the address they refuse, as Postfix does.
    const bouncer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => bouncer.listen(0, '127.0.0.1', () => resolve()));
    try {
      await worker.stop();
      bouncing = new AppProcess('worker', { ...env, SMTP_URL: `smtp://127.0.0.1:${(bouncer.server.address() as AddressInfo).port}` });
      await bouncing.start();
      const email = secret('bounced email', `bounce.${hex()}@example.test`);
      await call({ method: 'POST', url: '/api/v1/auth/register', body: { email, password: secret('bounced password', `Bounce-${hex()}-pw`), firstName: 'Bo', lastName: 'Unce' } }, 201);
      await waitFor(() => bouncing!.output.includes('Job failed'), { timeoutMs: 60_000, what: 'the bounced email job to fail' });
    } finally {
      await bouncing?.stop();
      await new Promise<void>((resolve) => bouncer.close(() => resolve()));
    }
  }, 180_000);

  it('leaves no secret in any log line of the api or the workers', async () => {
    await Promise.all([api.stop(), worker.stop(), bouncing?.stop()]);
    const logs = [api.output, worker.output, bouncing?.output ?? ''].join('\n');
    const lines = logs.split('\n');
    // The capture sees every line: the flow's request lines, and the bootstrap admin's
    // address, which the api logs on purpose (an operator's setting, not a user's data).
    expect(lines.filter((line) => line.includes(marker)).length).toBeGreaterThan(20);
    expect(logs).toContain(adminEmail);
    expect(secrets.size).toBeGreaterThan(15);
    const found = (line: string, value: string) =>
      [value, encodeURIComponent(value)].some((v) => line.toLowerCase().includes(v.toLowerCase()));
    const leaks = [...secrets.entries()].flatMap(([name, value]) =>
      lines.filter((line) => found(line, value)).map((line) => `${name}: ${line.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);
  });
});
