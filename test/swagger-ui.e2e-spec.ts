import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { registerAndLogin } from './support/auth-helpers';
import { TestApp } from './support/test-app';

// Debian's Chromium (`npm test` installs it when missing: scripts/ensure-services.sh); CHROMIUM_PATH points elsewhere,
// e.g. at the runner's Google Chrome on GitHub Actions.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', 'test-artifacts', 'swagger-ui.png');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Records what the page must never do: break our CSP, throw, or lose a request. */
function watchForViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  // A blocked asset (net::ERR_BLOCKED_BY_CSP) fails its request.
  page.on('requestfailed', (request) =>
    violations.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  return violations;
}

describe('Swagger UI in Chromium', () => {
  let app: TestApp;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: bash scripts/ensure-services.sh --with-chromium installs it, or set CHROMIUM_PATH`,
      );
    }
    app = await TestApp.start({ worker: false });
    profile = mkdtempSync(join(tmpdir(), 'swagger-ui-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 1000 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await app?.close();
  });

  it('authorizes with a token and runs "Try it out" on GET /me: 200, no CSP violation', async () => {
    const patient = await registerAndLogin(app, { firstName: 'Swagger', lastName: 'Browser' });
    const page = await context.newPage();
    const violations = watchForViolations(page);
    // Violations are also reported as DOM events, whatever the console says.
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) =>
        console.error('Content Security Policy violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI));`,
    });

    const docs = await page.goto(`${app.baseUrl}/docs`);
    expect(docs?.status()).toBe(200);
    expect(docs?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: /Doctor Appointment API/ }).waitFor();

    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    // The dialog lists every scheme (bearer, and the stream's ticket): fill the bearer one.
    const bearer = dialog.locator('form').filter({ hasText: 'bearer (http, Bearer)' });
    await bearer
      .locator('input[type="text"], input[type="password"]')
      .first()
      .fill(patient.accessToken);
    await bearer.locator('.auth-btn-wrapper button.authorize').click();
    await dialog.locator('.auth-btn-wrapper button.btn-done').first().click();

    const operation = page.locator('#operations-me-Me_get');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();

    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe('200');
    const body = await operation
      .locator('.live-responses-table .response .response-col_description')
      .innerText();
    expect(body).toContain(patient.email);
    expect(await operation.locator('.curl-command').innerText()).toContain('Authorization: Bearer');

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    // The operation only: request, curl with the bearer header, and the live 200 answer.
    await operation.screenshot({ path: SCREENSHOT });
    expect(violations).toEqual([]);
  });
});
