import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { FakePayPal } from '../fakes/paypal-fake';
import { freePort } from '../support/processes';
import { SinkMessage, SmtpSink, tokenFromEmail } from '../support/smtp-sink';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { IsolatedDatabase } from './support/database';
import { send } from './support/http';
import { AppProcess } from './support/processes';

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

  let database: IsolatedDatabase;
  let smtp: SmtpSink;
  let paypal: FakePayPal;
  let api: AppProcess;
  let worker: AppProcess;
  let bouncing: AppProcess | undefined;
  let baseUrl: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Not the run's database: other files clone it as a template while this one runs.
    database = await IsolatedDatabase.create('logs');
    smtp = await SmtpSink.start();
    paypal = await FakePayPal.start({ clientSecret: paypalSecret });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      ...paypal.env(),
      DATABASE_URL: database.url,
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
    await database?.drop();
  });

  /** One request of the flow; its request id marks the flow's log lines. */
  async function call(
    method: string,
    url: string,
    expected: number,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ [key: string]: unknown }> {
    const headers = { 'X-Request-Id': `${marker}-${hex()}`, ...options.headers };
    const res = await send(baseUrl, {
      method,
      url,
      headers,
      token: options.token,
      body: options.body,
    });
    if (res.status !== expected) {
      throw new Error(`${res.request} answered ${res.status}, not ${expected}: ${res.text}`);
    }
    return (res.json ?? {}) as { [key: string]: unknown };
  }
  const signIn = async (label: string, email: string, password: string) => {
    const body = await call('POST', '/api/v1/auth/login', 200, { body: { email, password } });
    return sessionOf(label, body);
  };
  const sessionOf = (label: string, body: { [key: string]: unknown }) => ({
    access: secret(`${label} access token`, body.accessToken as string),
    refresh: secret(`${label} refresh token`, body.refreshToken as string),
    userId: (body.user as { id: string }).id,
  });
  const mail = (to: string, what: RegExp): Promise<SinkMessage> =>
    smtp.waitForMessage((m) => m.to.includes(to) && what.test(m.text), 60_000);

  it('runs a full flow with canary passwords, tokens, notes and email', async () => {
    const email = secret('patient email', `canary.${hex()}@example.test`);
    const password = secret('patient password', `Canary-${hex()}-password`);

    // The operator's admin sets up a paid doctor who works all day.
    const admin = await signIn('admin', adminEmail, adminPassword);
    const doctorEmail = `doctor.${hex()}@example.test`;
    const doctorPassword = secret('doctor password', `Doctor-${hex()}-password`);
    const newDoctor = {
      email: doctorEmail,
      firstName: 'Dana',
      lastName: 'Scully',
      password: doctorPassword,
    };
    await call('POST', '/api/v1/admin/doctors', 201, { token: admin.access, body: newDoctor });
    const doctor = await signIn('doctor', doctorEmail, doctorPassword);
    const fee = { consultationFee: { amount: '45.00', currency: 'USD' } };
    await call('PATCH', '/api/v1/doctors/me', 200, { token: doctor.access, body: fee });
    const rules = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
      dayOfWeek,
      startTime: '00:00',
      endTime: '24:00',
    }));
    await call('PUT', '/api/v1/doctors/me/availability', 200, {
      token: doctor.access,
      body: { rules },
    });
    const intakeType = await call('POST', '/api/v1/doctors/me/visit-types', 201, {
      token: doctor.access,
      body: {
        name: 'Intake visit',
        durationMinutes: 30,
        price: { amount: '45.00', currency: 'USD' },
        bufferAfterMinutes: 10,
        questions: [
          { key: 'symptoms', label: 'What brings you in?', kind: 'long_text', required: true },
          {
            key: 'allergy',
            label: 'Allergies',
            kind: 'single_choice',
            options: ['none', 'penicillin'],
          },
        ],
      },
    });

    // The patient: register, verify, sign in, refresh, and refused attempts carrying secrets.
    const registration = {
      email,
      password,
      firstName: 'Cana',
      lastName: 'Ry',
      phone: '+44 20 7946 0958',
    };
    await call('POST', '/api/v1/auth/register', 201, { body: registration });
    const verifyToken = secret(
      'email verification token',
      tokenFromEmail(await mail(email, /verify/i)),
    );
    await call('POST', '/api/v1/auth/verify-email', 204, { body: { token: verifyToken } });
    const first = await signIn('first', email, password);
    const refreshed = sessionOf(
      'refreshed',
      await call('POST', '/api/v1/auth/refresh', 200, { body: { refreshToken: first.refresh } }),
    );
    await call('GET', '/api/v1/me', 200, { token: refreshed.access });
    const wrongPassword = secret('wrong password', `Wrong-${hex()}`);
    await call('POST', '/api/v1/auth/login', 401, { body: { email, password: wrongPassword } });
    await call('GET', '/api/v1/me', 401, {
      token: secret('forged token', `forged.${hex()}.token`),
    });
    // A rotated token used again: the whole family is revoked.
    await call('POST', '/api/v1/auth/refresh', 401, { body: { refreshToken: first.refresh } });
    const patient = await signIn('second', email, password);

    // Book with a note, pay, open the live stream with a ticket, cancel with a note (refunded).
    const startsAt = new Date(
      Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 72 * 3_600_000,
    ).toISOString();
    const reason = secret('booking reason', `Canary symptoms ${hex()}`);
    const answer = secret('intake answer', `Canary answer ${hex()}`);
    // A refused answer must not echo it either.
    await call('POST', '/api/v1/appointments', 400, {
      token: patient.access,
      body: {
        doctorId: doctor.userId,
        startsAt,
        visitTypeId: intakeType.id,
        answers: { symptoms: answer, allergy: secret('refused answer', `Canary-${hex()}`) },
      },
    });
    const appointment = await call('POST', '/api/v1/appointments', 201, {
      token: patient.access,
      headers: { 'Idempotency-Key': hex() },
      body: {
        doctorId: doctor.userId,
        startsAt,
        reason,
        visitTypeId: intakeType.id,
        answers: { symptoms: answer, allergy: 'none' },
      },
    });
    // The doctor's booking email carries the answers; nothing else stored for later does.
    await smtp.waitForMessage((m) => m.to.includes(doctorEmail) && m.text.includes(answer), 60_000);
    const payment = await call('POST', `/api/v1/appointments/${appointment.id}/payments`, 201, {
      token: patient.access,
      body: {},
    });
    paypal.approve(payment.providerOrderId as string);
    await call('POST', `/api/v1/payments/${payment.id}/capture`, 202, {
      token: patient.access,
      body: {},
    });
    await waitFor(
      async () =>
        (await call('GET', `/api/v1/payments/${payment.id}`, 200, { token: patient.access }))
          .status === 'captured',
      { timeoutMs: 60_000, intervalMs: 250, what: 'the payment to be captured' },
    );
    const ticket = await call('POST', '/api/v1/notifications/stream-ticket', 201, {
      token: patient.access,
    });
    await call(
      'GET',
      `/api/v1/notifications/stream?ticket=${secret('stream ticket', ticket.ticket as string)}`,
      200,
    );
    const cancelReason = secret('cancellation reason', `Canary cancel note ${hex()}`);
    await call('POST', `/api/v1/appointments/${appointment.id}/cancel`, 200, {
      token: patient.access,
      body: { reason: cancelReason },
    });
    await waitFor(() => paypal.refunds().length > 0, {
      timeoutMs: 60_000,
      what: 'the refund at PayPal',
    });

    // Forgotten password: reset with a new one, sign in with it, sign out.
    await call('POST', '/api/v1/auth/forgot-password', 202, { body: { email } });
    const resetToken = secret(
      'password reset token',
      tokenFromEmail(await mail(email, /reset-password/)),
    );
    const newPassword = secret('new password', `Renewed-${hex()}-password`);
    await call('POST', '/api/v1/auth/reset-password', 204, {
      body: { token: resetToken, password: newPassword },
    });
    const last = await signIn('last', email, newPassword);
    await call('POST', '/api/v1/auth/logout', 204, {
      token: last.access,
      body: { refreshToken: last.refresh },
    });
    await mail(email, /cancel/i);
    const stored: { where: string }[] = await database.query(
      `SELECT 'outbox' AS where FROM outbox_events WHERE payload::text LIKE $1
        UNION ALL SELECT 'notification ' || channel FROM notifications
         WHERE title || body || coalesce(data::text, '') LIKE $1 OR title || body LIKE $2`,
      [`%${answer}%`, `%${reason}%`],
    );
    expect(stored).toEqual([]);

    // Export and erasure handle every canary at once: none of it may reach a log line.
    const erasing = await signIn('erasing', email, newPassword);
    const exported = JSON.stringify(
      await call('GET', '/api/v1/me/export', 200, { token: erasing.access }),
    );
    expect(exported).toContain(answer);
    expect(exported).toContain(email);
    await call('DELETE', '/api/v1/me', 403, {
      token: erasing.access,
      body: { password: secret('wrong erasure password', `Nope-${hex()}-password`) },
    });
    await call('DELETE', '/api/v1/me', 202, {
      token: erasing.access,
      body: { password: newPassword },
    });
    await call('GET', '/api/v1/me/export', 401, { token: erasing.access });
    await call('POST', '/api/v1/auth/login', 401, { body: { email, password: newPassword } });
  }, 240_000);

  it('keeps a bounced recipient out of the failed-job log', async () => {
    // SMTP servers quote the address they refuse, as Postfix does.
    const bouncer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(
          Object.assign(
            new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`),
            { responseCode: 550 },
          ),
        );
      },
    });
    await new Promise<void>((resolve) => bouncer.listen(0, '127.0.0.1', () => resolve()));
    try {
      await worker.stop();
      bouncing = new AppProcess('worker', {
        ...env,
        SMTP_URL: `smtp://127.0.0.1:${(bouncer.server.address() as AddressInfo).port}`,
      });
      await bouncing.start();
      const email = secret('bounced email', `bounce.${hex()}@example.test`);
      const password = secret('bounced password', `Bounce-${hex()}-pw`);
      await call('POST', '/api/v1/auth/register', 201, {
        body: { email, password, firstName: 'Bo', lastName: 'Unce' },
      });
      await waitFor(() => bouncing!.output.includes('Job failed'), {
        timeoutMs: 60_000,
        what: 'the bounced email job to fail',
      });
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
