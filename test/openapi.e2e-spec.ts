import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  canonicalOpenApi,
  generateOpenApiDocument,
  serializeOpenApi,
} from '../scripts/openapi-document';
import { TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');
const HINT = 'run `npm run openapi` and commit openapi.json and clients/typescript/src/schema.d.ts';

/** The first differing line of two texts, with a little context, for the failure message. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  let line = 0;
  while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
  const around = (lines: string[]) =>
    lines
      .slice(Math.max(0, line - 2), line + 3)
      .map((text, i) => `  ${Math.max(0, line - 2) + i + 1}: ${text}`)
      .join('\n');
  return `first difference at line ${line + 1}\n committed:\n${around(a)}\n generated:\n${around(b)}`;
}

function expectSameText(file: string, committed: string, generated: string): void {
  if (committed !== generated) {
    throw new Error(`${file} is out of date: ${HINT}\n${firstDifference(committed, generated)}`);
  }
}

describe('OpenAPI document', () => {
  let generated: OpenAPIObject;
  let app: TestApp;

  beforeAll(async () => {
    generated = await generateOpenApiDocument();
    app = await TestApp.start({ worker: false });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is what the running api serves at /docs-json', async () => {
    const res = await app.http.get('/docs-json').expect(200);
    expect(canonicalOpenApi(res.body)).toEqual(generated);
  });

  it('is committed as openapi.json, byte for byte', () => {
    const committed = readFileSync(join(ROOT, 'openapi.json'), 'utf8');
    expectSameText('openapi.json', committed, serializeOpenApi(generated));
  });

  it('passes the OpenAPI linter as committed (npm run openapi:lint)', () => {
    const cli = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');
    try {
      execFileSync(process.execPath, [cli, 'lint', 'openapi.json', '--format=stylish'], {
        cwd: ROOT,
        stdio: 'pipe',
        env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`redocly lint openapi.json failed:\n${stdout}${stderr}`);
    }
  });

  it('is the source of the committed typed client schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-client-'));
    try {
      const output = join(dir, 'schema.d.ts');
      // The CLI itself, as `npm run client:generate` runs it, on the committed document.
      const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
      execFileSync(process.execPath, [cli, 'openapi.json', '--output', output], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      const committed = readFileSync(join(ROOT, 'clients/typescript/src/schema.d.ts'), 'utf8');
      expectSameText('clients/typescript/src/schema.d.ts', committed, readFileSync(output, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
