import { FakePayPal } from '../fakes/paypal-fake';
import { TestApp } from '../support/test-app';
import { ACCESS_RULES, AccessRule, Expected, UNDOCUMENTED_RULES } from './access-rules';
import { ROLES, Role, SecurityFixtures } from './support/fixtures';
import { headerProblems } from './support/headers';
import { errorCodeOf, isProblem, RawResponse, searchOf, send } from './support/http';
import { withId, OpenApiDocument, Operation, operationsOf } from './support/openapi';

interface Outcome {
  key: string;
  role: Role;
  res: RawResponse;
}

function matches(status: number, expected: Expected): boolean {
  return typeof expected === 'number' ? status === expected : String(status)[0] === expected[0];
}

describe('Access matrix: every route × every caller', () => {
  let paypal: FakePayPal;
  let app: TestApp;
  let fx: SecurityFixtures;
  let operations: Operation[];
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    paypal = await FakePayPal.start();
    app = await TestApp.start({ worker: false, env: paypal.env() });
    fx = await SecurityFixtures.create(app, paypal);
    const doc = (await send(app.baseUrl, { method: 'GET', url: '/docs-json' }))
      .json as OpenApiDocument;
    operations = operationsOf(doc);
  });

  afterAll(async () => {
    await app?.close();
    await paypal?.close();
  });

  /** One call of a route as one caller, on a fresh resource when the route names one. */
  async function call(
    key: string,
    rule: AccessRule,
    role: Role,
  ): Promise<{ res: RawResponse; problems: string[] }> {
    const [method, path] = key.split(' ');
    const id = rule.id ? await fx.resource(rule.id) : undefined;
    if (/\{/.test(path) && !id) throw new Error(`${key}: its rule must say what {id} names`);
    const before = rule.id && id ? await fx.fingerprint(rule.id, id) : undefined;
    const ctx = { role, fx, id };
    const query = rule.query ? `?${searchOf(rule.query(ctx))}` : '';
    const url = withId(path, id) + query;
    const body = rule.body ? await rule.body(ctx) : undefined;
    const res = await send(app.baseUrl, { method, url, body, token: fx.token(role) });

    const problems: string[] = [];
    const expected = rule[role];
    if (!matches(res.status, expected)) {
      problems.push(`expected ${expected}, got ${res.status}: ${res.text.slice(0, 300)}`);
    }
    if (res.status >= 400 && !isProblem(res))
      problems.push(`a ${res.status} that is not problem+json with a code`);
    if (res.status >= 400 && rule.id && id && (await fx.fingerprint(rule.id, id)) !== before) {
      problems.push(`refused with ${res.status}, yet the ${rule.id} changed`);
    }
    return { res, problems };
  }

  it('has a declared rule for every documented route', () => {
    const undeclared = operations.map((op) => op.key).filter((key) => !ACCESS_RULES[key]);
    expect(undeclared).toEqual([]);
  });

  it('answers every route as declared for anonymous, patients A and B, doctors X and Y, and an admin', async () => {
    const documented = operations.map((op) => op.key).filter((key) => ACCESS_RULES[key]);
    const routes: [string, AccessRule][] = [
      ...documented.map((key): [string, AccessRule] => [key, ACCESS_RULES[key]]),
      ...Object.entries(UNDOCUMENTED_RULES),
    ];
    const failures: string[] = [];
    for (const [key, rule] of routes) {
      for (const role of ROLES) {
        const { res, problems } = await call(key, rule, role);
        outcomes.push({ key, role, res });
        failures.push(...problems.map((p) => `${key} as ${role}: ${p}`));
      }
    }
    const declaredOnly = Object.keys(ACCESS_RULES).filter(
      (key) => !operations.some((op) => op.key === key),
    );
    console.log(
      `BOLA matrix: ${routes.length} routes × ${ROLES.length} roles = ${outcomes.length} calls ` +
        `(${documented.length} from /docs-json, ${Object.keys(UNDOCUMENTED_RULES).length} outside it; ` +
        `${failures.length} failures)` +
        (declaredOnly.length
          ? `\n  declared but not served (yet): ${declaredOnly.join(', ')}`
          : ''),
    );
    expect(failures).toEqual([]);
  });

  it('refuses every route that needs a token with 401 problem+json, with no token or a forged one', async () => {
    const guarded = [...operations.map((op) => op.key), ...Object.keys(UNDOCUMENTED_RULES)].filter(
      (key) => (ACCESS_RULES[key] ?? UNDOCUMENTED_RULES[key])?.anonymous === 401,
    );
    const failures: string[] = [];
    for (const key of guarded) {
      const [method, path] = key.split(' ');
      const url = withId(path, '00000000-0000-4000-8000-000000000000');
      for (const token of [
        undefined,
        'forged.token.value',
        fx.patientA.token.slice(0, -4) + 'AAAA',
      ]) {
        const res = await send(app.baseUrl, {
          method,
          url,
          token,
          body: method === 'GET' ? undefined : {},
        });
        const code = errorCodeOf(res);
        if (res.status !== 401 || !isProblem(res) || code !== 'UNAUTHENTICATED') {
          failures.push(
            `${key} with ${token ? 'a forged token' : 'no token'}: ${res.status} ${res.text.slice(0, 200)}`,
          );
        }
      }
    }
    expect(guarded.length).toBeGreaterThan(30);
    expect(failures).toEqual([]);
  });

  it('documents the bearer scheme on exactly the routes that need a token', () => {
    const wrong = operations
      .filter((op) => ACCESS_RULES[op.key])
      .filter((op) => op.secured !== (ACCESS_RULES[op.key].anonymous === 401))
      .map((op) => `${op.key}: documented ${op.secured ? 'secured' : 'public'}`);
    expect(wrong).toEqual([]);
  });

  it('sends the security headers on every answer of the matrix', () => {
    expect(outcomes.length).toBeGreaterThan(0);
    const failures = outcomes.flatMap(({ key, role, res }) =>
      headerProblems(res).map((problem) => `${key} as ${role} (${res.status}): ${problem}`),
    );
    expect(failures).toEqual([]);
  });
});
