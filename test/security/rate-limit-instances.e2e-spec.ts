import { UserRole } from '@app/database';
import { ACTOR_PASSWORD, createActor } from '../support/doctor-helpers';
import { TestApp } from '../support/test-app';
import { isProblem, RawResponse, send } from './support/http';

const LIMIT = 5;

describe('Rate limits across api instances', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    // Two api instances on one Redis and one queue prefix, as two containers behind a balancer.
    const env = { RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT), RATE_LIMIT_PER_MINUTE: '100000' };
    first = await TestApp.start({ env });
    second = await TestApp.start({ env, worker: false });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('shares the login limit: attempts alternating between instances hit 429 at the limit', async () => {
    const victim = await createActor(first, UserRole.Patient);
    const instances = [first, second];
    const attempt = (i: number, password = 'guessing wrong'): Promise<RawResponse> =>
      send(instances[i % 2].baseUrl, {
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { email: victim.email, password },
      });

    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i += 1) statuses.push((await attempt(i)).status);
    const limited = [await attempt(LIMIT), await attempt(LIMIT + 1)];

    expect(statuses).toEqual(Array(LIMIT).fill(401));
    expect(limited.map((r) => r.status)).toEqual([429, 429]);
    for (const res of limited) {
      expect(isProblem(res)).toBe(true);
      expect((res.json as { code: string }).code).toBe('RATE_LIMITED');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // The right password does not lift the block on either instance.
    expect((await attempt(0, ACTOR_PASSWORD)).status).toBe(429);
    expect((await attempt(1, ACTOR_PASSWORD)).status).toBe(429);
  });

  it('shares the register limit by IP across instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i += 1) {
      const res = await send([first, second][i % 2].baseUrl, {
        method: 'POST',
        url: '/api/v1/auth/register',
        body: {
          email: `limit.${Date.now()}.${i}@example.test`,
          password: ACTOR_PASSWORD,
          firstName: 'Ra',
          lastName: 'Te',
        },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(201), 429]);
  });
});
