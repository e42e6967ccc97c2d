import { User } from '@app/database';
import { QueueName } from '@app/queues';
import { Actor, BookingFixtures } from './support/booking-fixtures';
import { TestApp } from './support/test-app';

const COOKIE = 'da_board_session';

describe('Bull Board', () => {
  let app: TestApp;
  let fx: BookingFixtures;
  let admin: Actor;
  let patient: Actor;

  const bearer = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const openSession = async (actor: Actor, headers: Record<string, string> = {}) => {
    const res = await app.http
      .post('/admin/queues/session')
      .set({ ...bearer(actor), ...headers })
      .expect(201);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(setCookie).toHaveLength(1);
    return { res, setCookie: setCookie[0], cookie: setCookie[0].split(';')[0] };
  };

  beforeAll(async () => {
    // Behind one proxy, as deployed: X-Forwarded-Proto tells whether the browser used https.
    app = await TestApp.start({ worker: false, env: { TRUST_PROXY_HOPS: '1' } });
    fx = new BookingFixtures(app);
    admin = await fx.admin();
    patient = await fx.patient();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers anyone without credentials with a problem+json 401', async () => {
    for (const path of [
      '/admin/queues',
      '/admin/queues/',
      '/admin/queues/api/queues',
      '/admin/queues/queue/events',
    ]) {
      const res = await app.http.get(path).expect(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(res.headers['x-request-id']).toBeDefined();
    }
    const action = await app.http.put('/admin/queues/api/queues/events/pause').expect(401);
    expect(action.body.code).toBe('UNAUTHENTICATED');
    await app.http.get('/admin/queues').set('Authorization', 'Bearer nonsense').expect(401);
    await app.http.get('/admin/queues').set('Cookie', `${COOKIE}=nonsense`).expect(401);
  });

  it('refuses a patient with 403, and a patient cannot open a board session', async () => {
    const res = await app.http.get('/admin/queues/api/queues').set(bearer(patient)).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const session = await app.http.post('/admin/queues/session').set(bearer(patient)).expect(403);
    expect(session.body.code).toBe('FORBIDDEN');
    expect(session.headers['set-cookie']).toBeUndefined();
    await app.http.post('/admin/queues/session').expect(401);
  });

  it('shows the board and every queue to an admin bearer', async () => {
    const page = await app.http.get('/admin/queues').set(bearer(admin)).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<base href="/admin/queues/"');
    expect(page.headers['x-request-id']).toBeDefined();

    const queues = await app.http.get('/admin/queues/api/queues').set(bearer(admin)).expect(200);
    const names = (queues.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(Object.values(QueueName).sort());
  });

  it('relaxes the content security policy for the board page only', async () => {
    const page = await app.http.get('/admin/queues').set(bearer(admin)).expect(200);
    const boardCsp = page.headers['content-security-policy'];
    expect(boardCsp).toContain('https://fonts.googleapis.com');
    expect(boardCsp).toContain('https://fonts.gstatic.com');
    expect(boardCsp).toMatch(/script-src 'self'(;|$)/);
    expect(boardCsp).toContain("frame-ancestors 'none'");

    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await app.http.get(`/admin/queues/${script}`).set(bearer(admin)).expect(200);
    expect(asset.headers['content-type']).toContain('javascript');

    const api = await app.http
      .get('/api/v1/notifications/unread-count')
      .set(bearer(admin))
      .expect(200);
    const apiCsp = api.headers['content-security-policy'];
    expect(apiCsp).toContain("default-src 'self'");
    expect(apiCsp).not.toContain('fonts.googleapis.com');
    const session = await app.http.post('/admin/queues/session').set(bearer(admin)).expect(201);
    expect(session.headers['content-security-policy']).not.toContain('fonts.googleapis.com');
  });

  it('opens a 15-minute HttpOnly session cookie scoped to the board', async () => {
    const { res, setCookie, cookie } = await openSession(admin);
    const expiresInMs = new Date(res.body.expiresAt).getTime() - Date.now();
    expect(expiresInMs).toBeGreaterThan(14 * 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(15 * 60_000);
    const attributes = setCookie.split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(new RegExp(`^${COOKIE}=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'Path=/admin/queues', 'SameSite=Strict', 'Max-Age=900']),
    );
    expect(attributes).not.toContain('Secure');

    const page = await app.http
      .get('/admin/queues')
      .set('Cookie', `other=1; ${cookie}`)
      .expect(200);
    expect(page.text).toContain('<base href="/admin/queues/"');
    await app.http.get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const { setCookie } = await openSession(admin, { 'X-Forwarded-Proto': 'https' });
    expect(setCookie.split(';').map((part) => part.trim())).toContain('Secure');
  });

  it('keeps the session and access tokens apart, and ends a session when the admin is deactivated', async () => {
    const { cookie } = await openSession(admin);
    const sessionToken = cookie.slice(COOKIE.length + 1);
    // The board session is no access token, and an access token is no board session.
    const api = await app.http
      .get('/api/v1/notifications')
      .set('Authorization', `Bearer ${sessionToken}`)
      .expect(401);
    expect(api.body.code).toBe('UNAUTHENTICATED');
    await app.http.get('/admin/queues').set('Cookie', `${COOKIE}=${admin.token}`).expect(401);
    await app.http.get('/admin/queues').set('Cookie', `${COOKIE}=${sessionToken}x`).expect(401);

    const leaving = await fx.admin();
    const session = await openSession(leaving);
    await app.http.get('/admin/queues').set('Cookie', session.cookie).expect(200);
    await app.dataSource.getRepository(User).update(leaving.id, { deactivatedAt: new Date() });
    await app.http.get('/admin/queues').set('Cookie', session.cookie).expect(401);
  });

  it('documents the session endpoint, not the board itself', async () => {
    const doc = (await app.http.get('/docs-json').expect(200)).body;
    const operation = doc.paths['/admin/queues/session'].post;
    expect(operation.summary).toBeTruthy();
    expect(operation.responses['201'].headers['Set-Cookie']).toBeDefined();
    expect(operation.responses['401']).toBeDefined();
    expect(operation.responses['403']).toBeDefined();
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/admin/queues'))).toEqual([
      '/admin/queues/session',
    ]);
  });
});
