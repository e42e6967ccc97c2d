import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');

interface SpectralResult {
  code: string;
  message: string;
  severity: number;
  path: string[];
}

/** Spectral's severities: 0 error, 1 warning, 2 information, 3 hint. */
const ERROR = 0;

describe('OpenAPI lint (Spectral, OWASP API Security ruleset)', () => {
  it('finds no error in the committed openapi.json with .spectral.yaml', async () => {
    const cli = join(
      dirname(require.resolve('@stoplight/spectral-cli/package.json')),
      'dist/index.js',
    );
    // --fail-severity=error: warnings are advice, errors fail; exit code 1 also means "found some".
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'lint', 'openapi.json', '--ruleset', '.spectral.yaml', '--format', 'json', '--quiet'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw new Error(`spectral failed to run: ${error.stderr ?? String(error)}`);
    });
    const errors = (JSON.parse(stdout || '[]') as SpectralResult[])
      .filter((result) => result.severity === ERROR)
      .map((result) => `${result.code} at ${result.path.join('.')}: ${result.message}`);
    expect(errors).toEqual([]);
  });
});
