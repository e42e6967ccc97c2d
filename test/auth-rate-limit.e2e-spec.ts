import { bearer, registerAndLogin, uniqueEmail } from './support/auth-helpers';
import { TestApp } from './support/test-app';

/** The real limits (SPEC defaults): every other suite runs with them lifted. */
const DEFAULT_LIMITS = { RATE_LIMIT_AUTH_PER_MINUTE: '10', RATE_LIMIT_PER_MINUTE: '300' };
/** Behind one proxy, so a test can speak from its own client address with X-Forwarded-For. */
const BEHIND_PROXY = { TRUST_PROXY_HOPS: '1' };
const from = (ip: string) => ({ 'X-Forwarded-For': ip });

describe('Rate limits', () => {
  describe('with the default limits', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({ worker: false, env: { ...DEFAULT_LIMITS, ...BEHIND_PROXY } });
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

    it('caps logins per IP at 5 × RATE_LIMIT_AUTH_PER_MINUTE across all emails (password spraying)', async () => {
      const sprayer = from('203.0.113.7');
      const attempt = (client = sprayer) =>
        app.http
          .post('/api/v1/auth/login')
          .set(client)
          .send({ email: uniqueEmail('sprayed'), password: 'Winter2025!' });
      // Each email once: the IP + email limit never trips, only the ceiling can.
      for (let i = 1; i <= 50; i += 1) await attempt().expect(401);

      const res = await attempt().expect(429);

      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Per IP: another address still gets an answer.
      await attempt(from('203.0.113.8')).expect(401);
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
      app = await TestApp.start({
        worker: false,
        env: { RATE_LIMIT_PER_MINUTE: '5', ...BEHIND_PROXY },
      });
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

    it('counts anonymous requests by IP, those refused with 401 included', async () => {
      const client = from('198.51.100.20');
      const publicRoute = () => app.http.get('/api/v1/specialties').set(client);
      const noToken = () => app.http.get('/api/v1/me').set(client);
      const badToken = () => app.http.get('/api/v1/me').set(client).set(bearer('not-a-token'));
      const signedIn = await registerAndLogin(app);
      await publicRoute().expect(200);
      await noToken().expect(401);
      await badToken().expect(401);
      await publicRoute().expect(200);
      await badToken().expect(401);

      const limited = await noToken().expect(429);

      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await badToken().expect(429);
      await publicRoute().expect(429);
      // A signed-in user behind the same address keeps a budget of its own.
      await app.http.get('/api/v1/me').set(client).set(bearer(signedIn.accessToken)).expect(200);
      await app.http.get('/api/v1/specialties').set(from('198.51.100.21')).expect(200);
    });

    it('counts requests refused for the role against the user', async () => {
      const patient = await registerAndLogin(app);
      const adminOnly = () => app.http.get('/api/v1/admin/users').set(bearer(patient.accessToken));
      for (let i = 1; i <= 5; i += 1) await adminOnly().expect(403);

      const limited = await adminOnly().expect(429);

      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
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
