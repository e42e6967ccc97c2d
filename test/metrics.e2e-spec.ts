import { spawnSync } from 'node:child_process';
import { TestApp } from './support/test-app';

// Debian's `prometheus` package brings it (.ci/run installs it); CI never skips.
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const promtoolFound = !spawnSync(PROMTOOL, ['--version']).error;
const skipped = !promtoolFound && !process.env.CI;
if (skipped) {
  console.warn(
    `Skipping the promtool check: ${PROMTOOL} is not installed (apt-get install prometheus)`,
  );
}

/** What a Prometheus server scrapes, checked by Prometheus' own linter. */
describe('GET /metrics', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
  });

  afterAll(async () => {
    await app.close();
  });

  (skipped ? it.skip : it)('passes `promtool check metrics` without a single problem', async () => {
    // Some traffic first, so the histogram has series to lint.
    await app.http.get('/health/live').expect(200);
    await app.http.get('/api/v1/appointments').expect(401);
    const scrape = await app.http.get('/metrics').expect(200);

    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: scrape.text });
    if (check.error) throw new Error(`${PROMTOOL} could not run: ${check.error.message}`);
    const problems = `${check.stdout.toString()}${check.stderr.toString()}`.trim();
    expect(problems).toBe('');
    expect(check.status).toBe(0);
  });
});
