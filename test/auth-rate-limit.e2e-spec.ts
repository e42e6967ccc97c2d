import { bearer, registerAndLogin, uniqueEmail } from './support/auth-helpers';
import { TestApp } from './support/test-app';

/** The real limits (SPEC defaults): every other suite runs with them lifted. */
const DEFAULT_LIMITS = { RATE_LIMIT_AUTH_PER_MINUTE: '10', RATE_LIMIT_PER_MINUTE: '300' };

describe('Rate limits', () => {
  describe('with the default limits', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({ worker: false, env: DEFAULT_LIMITS });
    });

    afterAll(async () => {
      await app.close();
    });

    it('answers the 11th bad login of an email within a minute with 429, problem+json and Retry-After', async () => {
      const email = uniqueEmail('victim');
      const attempt = () =>
        app.http.post('/api/v1/auth/login').send({ email, password: 'guessing wrong' });
      for (let i = 1; i <= 10; i += 1) await attempt().expect(401);

      const res = await attempt().expect(429);

      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Keyed by IP and email: the same IP may still sign in to another account.
      await app.http
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('other'), password: 'guessing wrong' })
        .expect(401);
    });

    it('limits forgot-password by IP', async () => {
      const ask = () =>
        app.http.post('/api/v1/auth/forgot-password').send({ email: uniqueEmail('someone') });
      for (let i = 1; i <= 10; i += 1) await ask().expect(202);

      const res = await ask().expect(429);

      expect(res.body.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('the general limit', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '5' } });
    });

    afterAll(async () => {
      await app.close();
    });

    it('counts per user, not per IP, and never limits health and metrics', async () => {
      const alice = await registerAndLogin(app);
      const bob = await registerAndLogin(app);
      for (let i = 1; i <= 5; i += 1)
        await app.http.get('/api/v1/me').set(bearer(alice.accessToken)).expect(200);

      const limited = await app.http.get('/api/v1/me').set(bearer(alice.accessToken)).expect(429);

      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await app.http.get('/api/v1/me').set(bearer(bob.accessToken)).expect(200);
      for (let i = 1; i <= 10; i += 1) {
        await app.http.get('/health/live').expect(200);
        await app.http.get('/metrics').expect(200);
      }
    });
  });

  describe('without Redis', () => {
    let app: TestApp;

    beforeAll(async () => {
      // Nothing listens on port 1: every Redis command fails at once.
      app = await TestApp.start({
        worker: false,
        env: { ...DEFAULT_LIMITS, REDIS_URL: 'redis://127.0.0.1:1' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('fails open: accounts keep working, unlimited', async () => {
      const patient = await registerAndLogin(app);
      for (let i = 1; i <= 12; i += 1) {
        await app.http
          .post('/api/v1/auth/login')
          .send({ email: patient.email, password: 'guessing wrong' })
          .expect(401);
      }
      await app.http.get('/api/v1/me').set(bearer(patient.accessToken)).expect(200);
    });
  });
});
