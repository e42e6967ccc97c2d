import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, hashOpaqueToken } from '@app/auth';
import { OutboxEvent, RefreshToken, User, UserRole } from '@app/database';
import { EventType } from '@app/queues';
import {
  bearer,
  DEFAULT_TEST_PASSWORD,
  insertUser,
  latestEventToken,
  login,
  registerAndLogin,
  uniqueEmail,
} from './support/auth-helpers';
import { SinkMessage, tokenFromEmail } from './support/smtp-sink';
import { TestApp } from './support/test-app';

const ADMIN_EMAIL = uniqueEmail('bootstrap-admin');
const ADMIN_PASSWORD = 'bootstrap admin password';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function registration(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail('patient'),
    password: DEFAULT_TEST_PASSWORD,
    firstName: 'Ada',
    lastName: 'Lovelace',
    ...overrides,
  };
}

describe('Auth', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
  });

  afterAll(async () => {
    await app.close();
  });

  const emailTo = (email: string, path: string): Promise<SinkMessage> =>
    app.smtp.waitForMessage(
      (m) =>
        m.to.includes(email.toLowerCase()) &&
        m.text.includes(`${app.config.frontendUrl}/${path}?token=`),
    );

  const expectUnauthenticated = (res: {
    status: number;
    headers: Record<string, string>;
    body: { code: string };
  }) => {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('UNAUTHENTICATED');
  };

  describe('POST /auth/register', () => {
    it('creates a patient and answers 201 with the user, no tokens and no hashes', async () => {
      const body = registration({ phone: '+44 20 7946 0958', timezone: 'Europe/London' });

      const res = await app.http.post('/api/v1/auth/register').send(body).expect(201);

      expect(res.body).toMatchObject({
        email: body.email,
        role: 'patient',
        firstName: 'Ada',
        lastName: 'Lovelace',
        phone: '+44 20 7946 0958',
        timezone: 'Europe/London',
        emailVerifiedAt: null,
        deactivatedAt: null,
      });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.createdAt).toMatch(/Z$/);
      expect(res.body).not.toHaveProperty('accessToken');
      expect(res.body).not.toHaveProperty('passwordHash');
      expect(res.text).not.toMatch(/argon2|tokenVersion/);
      const stored = await app.dataSource
        .getRepository(User)
        .findOneOrFail({ where: { id: res.body.id }, select: { id: true, passwordHash: true } });
      expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    });

    it('defaults the time zone to UTC', async () => {
      const res = await app.http.post('/api/v1/auth/register').send(registration()).expect(201);
      expect(res.body.timezone).toBe('UTC');
    });

    it('rejects unknown fields such as role with 400 and errors[]', async () => {
      const body = registration({ role: 'admin' });

      const res = await app.http.post('/api/v1/auth/register').send(body).expect(400);

      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toContainEqual({ field: 'role', message: 'role is not allowed' });
      expect(
        await app.dataSource.getRepository(User).exists({ where: { email: body.email } }),
      ).toBe(false);
    });

    it('answers 409 EMAIL_TAKEN for an existing email in another case', async () => {
      const body = registration();
      await app.http.post('/api/v1/auth/register').send(body).expect(201);

      const res = await app.http
        .post('/api/v1/auth/register')
        .send({ ...body, email: body.email.toUpperCase() })
        .expect(409);

      expect(res.body.code).toBe('EMAIL_TAKEN');
    });

    it('lets exactly one of two simultaneous registrations of one email win', async () => {
      const body = registration();

      const results = await Promise.all([
        app.http.post('/api/v1/auth/register').send(body),
        app.http.post('/api/v1/auth/register').send({ ...body, email: body.email.toUpperCase() }),
      ]);

      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body.code).toBe('EMAIL_TAKEN');
    });

    it('rejects a weak password with errors[] on the password', async () => {
      const res = await app.http
        .post('/api/v1/auth/register')
        .send(registration({ password: 'short' }))
        .expect(400);

      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'password' }));
    });

    it('reports every invalid field at once', async () => {
      const res = await app.http
        .post('/api/v1/auth/register')
        .send({
          email: 'not-an-email',
          password: DEFAULT_TEST_PASSWORD,
          firstName: '  ',
          timezone: 'Mars/Olympus',
        })
        .expect(400);

      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['email', 'firstName', 'lastName', 'timezone']),
      );
    });

    it('records the verification email event with a token stored only as a hash', async () => {
      const res = await app.http.post('/api/v1/auth/register').send(registration()).expect(201);

      const token = await latestEventToken(app, EventType.EmailVerificationRequested, res.body.id);
      const rows: { token_hash: string; purpose: string; expires_at: Date }[] =
        await app.dataSource.query(
          'SELECT token_hash, purpose, expires_at FROM one_time_tokens WHERE user_id = $1',
          [res.body.id],
        );
      expect(rows).toHaveLength(1);
      expect(rows[0].purpose).toBe('email_verification');
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].token_hash).not.toContain(token);
      const hoursLeft = (rows[0].expires_at.getTime() - Date.now()) / 3_600_000;
      expect(hoursLeft).toBeGreaterThan(23);
      expect(hoursLeft).toBeLessThanOrEqual(24);
    });
  });

  describe('POST /auth/login', () => {
    it('answers 200 with tokens, their lifetime and the user', async () => {
      const body = registration();
      await app.http.post('/api/v1/auth/register').send(body).expect(201);

      const res = await app.http
        .post('/api/v1/auth/login')
        .send({ email: body.email, password: body.password })
        .expect(200);

      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: app.config.jwt.accessTtlSeconds,
        user: expect.objectContaining({ email: body.email, role: 'patient' }),
      });
      const me = await app.http.get('/api/v1/me').set(bearer(res.body.accessToken)).expect(200);
      expect(me.body.email).toBe(body.email);
    });

    it('issues an HS256 access token with sub, role, ver and typ, for this issuer and audience', async () => {
      const { accessToken, user } = await registerAndLogin(app);

      const [header, payload] = accessToken
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));

      expect(header.alg).toBe('HS256');
      expect(payload).toMatchObject({
        sub: user.id,
        role: 'patient',
        ver: 0,
        typ: 'access',
        iss: 'doctor-appointment',
        aud: 'doctor-appointment-api',
      });
      expect(payload.exp - payload.iat).toBe(app.config.jwt.accessTtlSeconds);
    });

    it('matches the email case-insensitively', async () => {
      const { email, password } = await registerAndLogin(app);
      await app.http
        .post('/api/v1/auth/login')
        .send({ email: email.toUpperCase(), password })
        .expect(200);
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const { email } = await registerAndLogin(app);

      const wrongPassword = await app.http
        .post('/api/v1/auth/login')
        .send({ email, password: 'wrong password!' });
      const unknownEmail = await app.http
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'wrong password!' });

      expectUnauthenticated(wrongPassword);
      expectUnauthenticated(unknownEmail);
      expect(wrongPassword.body.detail).toBe('Invalid email or password');
      expect(unknownEmail.body.detail).toBe(wrongPassword.body.detail);
      expect(unknownEmail.body.title).toBe(wrongPassword.body.title);
    });

    it('answers 400 when a field is missing', async () => {
      const res = await app.http
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail() })
        .expect(400);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'password' }));
    });
  });

  describe('access tokens', () => {
    let patient: Awaited<ReturnType<typeof registerAndLogin>>;
    let jwt: JwtService;
    let claims: AccessTokenClaims;

    beforeAll(async () => {
      patient = await registerAndLogin(app);
      jwt = app.get(JwtService);
      claims = { sub: patient.user.id, role: UserRole.Patient, ver: 0, typ: 'access' };
    });

    const me = (token: string) => app.http.get('/api/v1/me').set(bearer(token));

    it('accepts a token signed by the API', async () => {
      await me(jwt.sign(claims)).expect(200);
    });

    it('refuses a missing or malformed Authorization header', async () => {
      expectUnauthenticated(await app.http.get('/api/v1/me'));
      expectUnauthenticated(
        await app.http.get('/api/v1/me').set('Authorization', patient.accessToken),
      );
      expectUnauthenticated(await me('not.a.jwt'));
    });

    it('refuses an expired token', async () => {
      expectUnauthenticated(await me(jwt.sign(claims, { expiresIn: -10 })));
    });

    it('refuses a tampered token', async () => {
      const [header, , signature] = patient.accessToken.split('.');
      const forged = `${header}.${base64url({ ...claims, role: 'admin', exp: Math.floor(Date.now() / 1000) + 600 })}.${signature}`;
      expectUnauthenticated(await me(forged));
    });

    it('refuses an unsigned token (alg: none)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
        ...claims,
        iss: 'doctor-appointment',
        aud: 'doctor-appointment-api',
        iat: now,
        exp: now + 600,
      })}.`;
      expectUnauthenticated(await me(unsigned));
    });

    it('refuses a token for another audience or issuer, or signed with another secret', async () => {
      expectUnauthenticated(await me(jwt.sign(claims, { audience: 'another-api' })));
      expectUnauthenticated(await me(jwt.sign(claims, { issuer: 'someone-else' })));
      expectUnauthenticated(
        await me(jwt.sign(claims, { secret: 'another-secret-of-at-least-32-characters!' })),
      );
    });

    it('refuses a token of another type or an outdated token version', async () => {
      expectUnauthenticated(await me(jwt.sign({ ...claims, typ: 'refresh' })));
      expectUnauthenticated(await me(jwt.sign({ ...claims, ver: 1 })));
      expectUnauthenticated(await me(jwt.sign({ ...claims, role: UserRole.Admin })));
    });
  });

  describe('POST /auth/refresh', () => {
    const refresh = (refreshToken: string) =>
      app.http.post('/api/v1/auth/refresh').send({ refreshToken });

    it('rotates: a new pair works and the old refresh token stops working', async () => {
      const { refreshToken } = await registerAndLogin(app);

      const res = await refresh(refreshToken).expect(200);

      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: app.config.jwt.accessTtlSeconds,
        user: expect.objectContaining({ role: 'patient' }),
      });
      expect(res.body.refreshToken).not.toBe(refreshToken);
      await app.http.get('/api/v1/me').set(bearer(res.body.accessToken)).expect(200);
      await refresh(res.body.refreshToken).expect(200);
    });

    it('revokes the whole family when a rotated token is reused, and only that family', async () => {
      const { email, password, refreshToken: first } = await registerAndLogin(app);
      const otherSession = await login(app, email, password);
      const second = (await refresh(first).expect(200)).body.refreshToken;

      expectUnauthenticated(await refresh(first));

      expectUnauthenticated(await refresh(second));
      const family = await app.dataSource
        .getRepository(RefreshToken)
        .findOneByOrFail({ tokenHash: hashOpaqueToken(second) });
      expect(family.revokedAt).not.toBeNull();
      await refresh(otherSession.refreshToken).expect(200);
    });

    it('refuses an unknown or expired refresh token with 401', async () => {
      expectUnauthenticated(await refresh('unknown-refresh-token'));
      const { user, refreshToken } = await registerAndLogin(app);
      await app.dataSource.query(
        `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.id],
      );
      expectUnauthenticated(await refresh(refreshToken));
    });

    it('answers 400 without a refresh token', async () => {
      const res = await app.http.post('/api/v1/auth/refresh').send({}).expect(400);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'refreshToken' }));
    });
  });

  describe('POST /auth/logout', () => {
    it('answers 204 and revokes the session of that refresh token only', async () => {
      const { email, password, accessToken, refreshToken } = await registerAndLogin(app);
      const otherSession = await login(app, email, password);

      await app.http
        .post('/api/v1/auth/logout')
        .set(bearer(accessToken))
        .send({ refreshToken })
        .expect(204);

      expectUnauthenticated(await app.http.post('/api/v1/auth/refresh').send({ refreshToken }));
      await app.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: otherSession.refreshToken })
        .expect(200);
      await app.http
        .post('/api/v1/auth/logout')
        .set(bearer(accessToken))
        .send({ refreshToken })
        .expect(204);
    });

    it("does not revoke someone else's refresh token", async () => {
      const alice = await registerAndLogin(app);
      const bob = await registerAndLogin(app);

      await app.http
        .post('/api/v1/auth/logout')
        .set(bearer(alice.accessToken))
        .send({ refreshToken: bob.refreshToken })
        .expect(204);

      await app.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: bob.refreshToken })
        .expect(200);
    });

    it('needs an access token and a refresh token', async () => {
      const { accessToken, refreshToken } = await registerAndLogin(app);
      expectUnauthenticated(await app.http.post('/api/v1/auth/logout').send({ refreshToken }));
      await app.http.post('/api/v1/auth/logout').set(bearer(accessToken)).send({}).expect(400);
    });
  });

  describe('POST /auth/verify-email', () => {
    const verify = (token: unknown) => app.http.post('/api/v1/auth/verify-email').send({ token });

    it('emails a verification link whose token verifies the email once', async () => {
      const { email, accessToken } = await registerAndLogin(app);
      const message = await emailTo(email, 'verify-email');

      const token = tokenFromEmail(message);
      await verify(token).expect(204);

      const me = await app.http.get('/api/v1/me').set(bearer(accessToken)).expect(200);
      expect(me.body.emailVerifiedAt).toMatch(/Z$/);
      const again = await verify(token).expect(400);
      expect(again.body.code).toBe('INVALID_TOKEN');
    });

    it('refuses an expired token', async () => {
      const { user } = await registerAndLogin(app);
      const token = await latestEventToken(app, EventType.EmailVerificationRequested, user.id);
      await app.dataSource.query(
        `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.id],
      );

      const res = await verify(token).expect(400);

      expect(res.body.code).toBe('INVALID_TOKEN');
    });

    it('refuses an unknown token, a reset token, and a missing token', async () => {
      expect((await verify('no-such-token').expect(400)).body.code).toBe('INVALID_TOKEN');
      const { email, user } = await registerAndLogin(app);
      await app.http.post('/api/v1/auth/forgot-password').send({ email }).expect(202);
      const resetToken = await latestEventToken(app, EventType.PasswordResetRequested, user.id);
      expect((await verify(resetToken).expect(400)).body.code).toBe('INVALID_TOKEN');
      expect((await verify(undefined).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('POST /auth/forgot-password and /auth/reset-password', () => {
    const reset = (token: string, password: string) =>
      app.http.post('/api/v1/auth/reset-password').send({ token, password });

    it('emails a reset link whose token sets a new password once and signs out everywhere', async () => {
      const { email, password, accessToken, refreshToken } = await registerAndLogin(app);

      await app.http
        .post('/api/v1/auth/forgot-password')
        .send({ email: email.toUpperCase() })
        .expect(202);
      const token = tokenFromEmail(await emailTo(email, 'reset-password'));
      await reset(token, 'a brand new passphrase').expect(204);

      expectUnauthenticated(await app.http.post('/api/v1/auth/login').send({ email, password }));
      await login(app, email, 'a brand new passphrase');
      expectUnauthenticated(await app.http.get('/api/v1/me').set(bearer(accessToken)));
      expectUnauthenticated(await app.http.post('/api/v1/auth/refresh').send({ refreshToken }));
      const again = await reset(token, 'yet another passphrase').expect(400);
      expect(again.body.code).toBe('INVALID_TOKEN');
    });

    it('answers 202 for an unknown email too, and records nothing', async () => {
      const before = await app.dataSource
        .getRepository(OutboxEvent)
        .countBy({ type: EventType.PasswordResetRequested });

      const res = await app.http
        .post('/api/v1/auth/forgot-password')
        .send({ email: uniqueEmail('nobody') })
        .expect(202);

      expect(res.text).toBe('');
      const after = await app.dataSource
        .getRepository(OutboxEvent)
        .countBy({ type: EventType.PasswordResetRequested });
      expect(after).toBe(before);
    });

    it('makes older reset links useless once one is used', async () => {
      const { email, user } = await registerAndLogin(app);
      await app.http.post('/api/v1/auth/forgot-password').send({ email }).expect(202);
      const older = await latestEventToken(app, EventType.PasswordResetRequested, user.id);
      await app.http.post('/api/v1/auth/forgot-password').send({ email }).expect(202);
      const newer = await latestEventToken(app, EventType.PasswordResetRequested, user.id);
      expect(newer).not.toBe(older);

      await reset(newer, 'a brand new passphrase').expect(204);

      expect((await reset(older, 'another passphrase').expect(400)).body.code).toBe(
        'INVALID_TOKEN',
      );
    });

    it('refuses an expired token and a weak password', async () => {
      const { email, user } = await registerAndLogin(app);
      await app.http.post('/api/v1/auth/forgot-password').send({ email }).expect(202);
      const token = await latestEventToken(app, EventType.PasswordResetRequested, user.id);

      const weak = await reset(token, 'short').expect(400);
      expect(weak.body.errors).toContainEqual(expect.objectContaining({ field: 'password' }));

      await app.dataSource.query(
        `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND purpose = 'password_reset'`,
        [user.id],
      );
      expect((await reset(token, 'a brand new passphrase').expect(400)).body.code).toBe(
        'INVALID_TOKEN',
      );
    });

    it('answers 400 for a malformed email', async () => {
      await app.http.post('/api/v1/auth/forgot-password').send({ email: 'nope' }).expect(400);
    });
  });

  describe('bootstrap admin', () => {
    it('creates the ADMIN_EMAIL admin on start', async () => {
      const session = await login(app, ADMIN_EMAIL, ADMIN_PASSWORD);
      expect(session.user.role).toBe('admin');
      await app.http.get('/api/v1/admin/users').set(bearer(session.accessToken)).expect(200);
    });

    it('creates one admin when two instances start together, and never touches an existing account', async () => {
      const email = uniqueEmail('twin-admin');
      const env = { ADMIN_EMAIL: email, ADMIN_PASSWORD: 'twin admin password' };
      const twins = await Promise.all([
        TestApp.start({ worker: false, smtp: app.smtp, env }),
        TestApp.start({ worker: false, smtp: app.smtp, env }),
      ]);
      const existing = await insertUser(app, { role: UserRole.Patient });
      const third = await TestApp.start({
        worker: false,
        smtp: app.smtp,
        env: { ADMIN_EMAIL: existing.email, ADMIN_PASSWORD: 'would be a takeover' },
      });
      try {
        expect(await app.dataSource.getRepository(User).countBy({ email })).toBe(1);
        expect((await login(app, email, 'twin admin password')).user.role).toBe('admin');
        const untouched = await login(app, existing.email, existing.password);
        expect(untouched.user.role).toBe('patient');
      } finally {
        await Promise.all([...twins, third].map((twin) => twin.close()));
      }
    });
  });

  describe('OpenAPI', () => {
    it('documents every account route with a summary, its success and its problem answers', async () => {
      const doc = (await app.http.get('/docs-json').expect(200)).body;
      const routes: [string, string, string][] = [
        ['/api/v1/auth/register', 'post', '201'],
        ['/api/v1/auth/login', 'post', '200'],
        ['/api/v1/auth/refresh', 'post', '200'],
        ['/api/v1/auth/logout', 'post', '204'],
        ['/api/v1/auth/verify-email', 'post', '204'],
        ['/api/v1/auth/forgot-password', 'post', '202'],
        ['/api/v1/auth/reset-password', 'post', '204'],
        ['/api/v1/me', 'get', '200'],
        ['/api/v1/me', 'patch', '200'],
        ['/api/v1/admin/users', 'get', '200'],
        ['/api/v1/admin/users/{id}', 'patch', '200'],
        ['/api/v1/admin/doctors', 'post', '201'],
      ];
      for (const [path, method, success] of routes) {
        const operation = doc.paths[path]?.[method];
        expect({ path, method, summary: operation?.summary }).toEqual({
          path,
          method,
          summary: expect.any(String),
        });
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining([success, '429']));
        expect(operation.responses['429'].content['application/problem+json'].schema.$ref).toBe(
          '#/components/schemas/ProblemDetails',
        );
      }
      expect(doc.paths['/api/v1/me'].get.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/api/v1/auth/login'].post.security).toBeUndefined();
      const register = doc.components.schemas.RegisterDto;
      expect(register.required).toEqual(
        expect.arrayContaining(['email', 'password', 'firstName', 'lastName']),
      );
      expect(register.properties.password.minLength).toBe(8);
      expect(doc.components.schemas.UserDto.properties).not.toHaveProperty('passwordHash');
      expect(doc.components.schemas.SessionDto.properties.user.$ref).toBe(
        '#/components/schemas/UserDto',
      );
    });
  });
});
