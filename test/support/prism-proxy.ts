import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Stoplight Prism's validation proxy in front of `upstream`: it checks every request and
 * response against openapi.json and, with --errors, answers a violation with an error
 * instead of passing it on (and names it in the `sl-violations` header).
 */
export class PrismProxy {
  private output = '';

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(upstream: string, document = join(ROOT, 'openapi.json')): Promise<PrismProxy> {
    const port = await freePort();
    const cli = join(
      dirname(require.resolve('@stoplight/prism-cli/package.json')),
      'dist/index.js',
    );
    const child = spawn(
      process.execPath,
      [cli, 'proxy', document, upstream, '--errors', '--host', '127.0.0.1', '--port', String(port)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const proxy = new PrismProxy(`http://127.0.0.1:${port}`, child);
    await waitFor(() => child.exitCode === null && /listening/i.test(proxy.output), {
      timeoutMs: 30_000,
      what: `Prism on port ${port}`,
    }).catch((error: Error) => {
      child.kill();
      throw new Error(`${error.message}\n${proxy.output}`);
    });
    return proxy;
  }

  /** The lines of Prism's log about violations (it logs them as warnings and errors). */
  violationLog(): string {
    return this.output
      .split('\n')
      .filter((line) => /violation|warning|error|✖|⚠/i.test(line))
      .join('\n');
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
