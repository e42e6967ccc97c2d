import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

function start(app: 'api' | 'worker', env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(ROOT, `apps/${app}/src/main.ts`),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

/** Fail at start, not at 3 a.m.: a bad variable stops the process with one line naming it. */
describe('Start-up configuration check', () => {
  it.each([
    ['api', 'REDIS_URL', 'nonsense'],
    ['worker', 'DATABASE_URL', 'not a url'],
    ['api', 'PORT', 'http'],
  ] as const)('%s with %s=%s exits non-zero with one line naming it', (app, name, value) => {
    const result = start(app, { [name]: value });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(result.stdout).toBe('');
  });

  it('refuses the development JWT secret in production', () => {
    const result = start('api', { NODE_ENV: 'production', JWT_SECRET: '' });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toMatch(/^Invalid configuration: JWT_SECRET/);
  });
});
