import { UserRole } from '@app/database';
import { createActor } from '../support/doctor-helpers';
import { TestApp } from '../support/test-app';
import { cspAllows, pageAssets, parseCsp } from './support/csp';
import { headerProblems } from './support/headers';
import { errorCodeOf, isProblem, RawResponse, send } from './support/http';
import { withId, OpenApiDocument, Operation, operationsOf } from './support/openapi';

const FRONTENDS = ['https://app.example.com', 'https://admin.example.com'];
const STRANGER = 'https://evil.example';
const SOME_ID = '00000000-0000-4000-8000-000000000000';

const pathOf = (op: Operation) => withId(op.path, SOME_ID);
const list = (header: string | null) =>
  (header ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

describe('Security headers, CORS and body limits on every route', () => {
  let app: TestApp;
  let operations: Operation[];

  beforeAll(async () => {
    app = await TestApp.start({ worker: false, env: { CORS_ORIGINS: FRONTENDS.join(',') } });
    const doc = (await send(app.baseUrl, { method: 'GET', url: '/docs-json' }))
      .json as OpenApiDocument;
    operations = operationsOf(doc);
  });

  afterAll(async () => {
    await app.close();
  });

  const preflight = (op: Operation, origin: string) =>
    send(app.baseUrl, {
      method: 'OPTIONS',
      url: pathOf(op),
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': op.method,
        'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key',
      },
    });

  it('lets the configured frontends, and only them, call every route cross-origin', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      for (const origin of FRONTENDS) {
        const res = await preflight(op, origin);
        const allowedMethods = list(res.headers.get('access-control-allow-methods'));
        const allowedHeaders = list(res.headers.get('access-control-allow-headers'));
        if (res.status !== 204) failures.push(`${op.key} preflight from ${origin}: ${res.status}`);
        if (res.headers.get('access-control-allow-origin') !== origin)
          failures.push(`${op.key}: ${origin} not allowed`);
        if (!allowedMethods.includes(op.method.toLowerCase()))
          failures.push(`${op.key}: ${op.method} not among ${allowedMethods}`);
        for (const header of ['authorization', 'content-type', 'idempotency-key']) {
          if (!allowedHeaders.includes(header))
            failures.push(`${op.key}: request header ${header} not allowed`);
        }
        if (!list(res.headers.get('vary')).includes('origin'))
          failures.push(`${op.key}: no Vary: Origin`);
      }
      const stranger = await preflight(op, STRANGER);
      if (stranger.headers.get('access-control-allow-origin'))
        failures.push(`${op.key}: ${STRANGER} allowed`);
      const actual = await send(app.baseUrl, {
        method: op.method,
        url: pathOf(op),
        headers: { Origin: STRANGER },
      });
      if (actual.headers.get('access-control-allow-origin'))
        failures.push(`${op.key}: answers ${STRANGER}`);
      if (actual.headers.get('access-control-allow-credentials'))
        failures.push(`${op.key}: allows credentials`);
      const friendly = await send(app.baseUrl, {
        method: op.method,
        url: pathOf(op),
        headers: { Origin: FRONTENDS[0] },
      });
      if (friendly.headers.get('access-control-allow-origin') !== FRONTENDS[0])
        failures.push(`${op.key}: no CORS answer`);
      if (!list(friendly.headers.get('access-control-expose-headers')).includes('x-request-id')) {
        failures.push(`${op.key}: X-Request-Id not exposed`);
      }
    }
    expect(operations.length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });

  it('sends the security headers on every route, answered anonymously, and on router-level errors', async () => {
    const failures: string[] = [];
    const check = (what: string, res: RawResponse) =>
      failures.push(...headerProblems(res).map((p) => `${what} (${res.status}): ${p}`));
    for (const op of operations) {
      check(
        op.key,
        await send(app.baseUrl, {
          method: op.method,
          url: pathOf(op),
          body: op.body ? {} : undefined,
        }),
      );
    }
    const errors: [string, Promise<RawResponse>][] = [
      ['unknown route', send(app.baseUrl, { method: 'GET', url: '/api/v1/nothing-here' })],
      [
        'bad JSON',
        send(app.baseUrl, {
          method: 'POST',
          url: '/api/v1/auth/login',
          rawBody: '{"a":',
          headers: { 'Content-Type': 'application/json' },
        }),
      ],
      [
        'unsupported media type',
        send(app.baseUrl, {
          method: 'POST',
          url: '/api/v1/auth/login',
          rawBody: '<a/>',
          headers: { 'Content-Type': 'application/xml' },
        }),
      ],
      [
        'too large',
        send(app.baseUrl, {
          method: 'POST',
          url: '/api/v1/auth/login',
          rawBody: `{"a":"${'x'.repeat(app.config.http.bodyLimit)}"}`,
          headers: { 'Content-Type': 'application/json' },
        }),
      ],
      ['method not allowed', send(app.baseUrl, { method: 'DELETE', url: '/api/v1/me' })],
    ];
    for (const [what, pending] of errors) {
      const res = await pending;
      check(what, res);
      if (!isProblem(res)) failures.push(`${what}: ${res.status} is not problem+json`);
    }
    expect(failures).toEqual([]);
  });

  it('answers router errors (malformed URL, over-long id) with problem+json', async () => {
    const badUrl = await send(app.baseUrl, { method: 'GET', url: '/api/v1/appointments/%E0%A4%A' });
    const longId = await send(app.baseUrl, {
      method: 'GET',
      url: `/api/v1/appointments/${'x'.repeat(500)}`,
    });
    for (const res of [badUrl, longId]) {
      expect({
        status: res.status,
        problem: isProblem(res),
        requestId: !!res.headers.get('x-request-id'),
      }).toEqual({
        status: res === badUrl ? 400 : 404,
        problem: true,
        requestId: true,
      });
    }
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413 problem+json on every route that takes one, before any auth', async () => {
    const limit = app.config.http.bodyLimit;
    const withBody = operations.filter((op) => op.body || op.method !== 'GET');
    const failures: string[] = [];
    for (const op of withBody) {
      const res = await send(app.baseUrl, {
        method: op.method,
        url: pathOf(op),
        rawBody: `{"x":"${'a'.repeat(limit)}"}`,
        headers: { 'Content-Type': 'application/json' },
      });
      const code = errorCodeOf(res);
      if (res.status !== 413 || code !== 'PAYLOAD_TOO_LARGE' || !isProblem(res))
        failures.push(`${op.key}: ${res.status} ${res.text.slice(0, 120)}`);
    }
    // Just under the limit the body is read and judged on its merits.
    const under = await send(app.baseUrl, {
      method: 'POST',
      url: '/api/v1/auth/login',
      rawBody: `{"email":"a@example.test","password":"${'a'.repeat(limit - 100)}"}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(withBody.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    expect(under.status).toBe(400);
  });

  describe('pages that must stay usable under the CSP', () => {
    async function checkPage(path: string, token?: string): Promise<string[]> {
      const pageUrl = new URL(path, app.baseUrl);
      const page = await send(app.baseUrl, { method: 'GET', url: path, token });
      const problems = headerProblems(page);
      if (page.status !== 200 || !/text\/html/.test(page.headers.get('content-type') ?? ''))
        return [`${path}: ${page.status}`];
      const csp = parseCsp(page.headers.get('content-security-policy'));
      const { assets, inlineScripts, inlineStyleAttributes } = pageAssets(page.text, pageUrl);
      if (inlineScripts > 0 && !(csp.get('script-src') ?? []).includes("'unsafe-inline'")) {
        problems.push(`${path}: ${inlineScripts} inline scripts the CSP blocks`);
      }
      if (inlineStyleAttributes > 0 && !(csp.get('style-src') ?? []).includes("'unsafe-inline'")) {
        problems.push(`${path}: inline styles the CSP blocks`);
      }
      if (!assets.some((a) => a.directive === 'script-src'))
        problems.push(`${path}: no scripts found`);
      for (const asset of assets) {
        if (!cspAllows(csp, asset.directive, asset.url, pageUrl))
          problems.push(`${path}: CSP ${asset.directive} blocks ${asset.url}`);
        if (asset.url.origin !== pageUrl.origin) continue; // third-party fonts: allowed above, not fetched
        const res = await send(app.baseUrl, {
          method: 'GET',
          url: asset.url.pathname + asset.url.search,
          token,
        });
        const type = res.headers.get('content-type') ?? '';
        if (res.status !== 200) problems.push(`${asset.url.pathname}: ${res.status}`);
        // With nosniff a browser drops a script or stylesheet served under another type.
        if (!asset.expectedType.test(type))
          problems.push(`${asset.url.pathname}: served as ${type}`);
      }
      return problems;
    }

    it('keeps Swagger UI loadable: every script, stylesheet and icon is allowed and served', async () => {
      expect(await checkPage('/docs')).toEqual([]);
      expect(await checkPage('/docs/')).toEqual([]);
    });

    it('keeps Bull Board loadable for an admin', async () => {
      const admin = await createActor(app, UserRole.Admin);
      expect(await checkPage('/admin/queues', admin.token)).toEqual([]);
    });
  });
});

describe('CORS with the default CORS_ORIGINS=*', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ worker: false, env: { CORS_ORIGINS: '*' } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers any origin without allowing credentials', async () => {
    const res = await send(app.baseUrl, {
      method: 'OPTIONS',
      url: '/api/v1/me',
      headers: {
        Origin: STRANGER,
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect([STRANGER, '*']).toContain(res.headers.get('access-control-allow-origin'));
    expect(list(res.headers.get('access-control-allow-methods'))).toContain('patch');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
