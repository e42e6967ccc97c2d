import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { waitFor } from '../../support/wait-for';

const ROOT = join(__dirname, '..', '..', '..');

/** The api or the worker as its own OS process, started like `npm run start:*`, output captured. */
export class AppProcess {
  private child?: ChildProcess;
  output = '';

  constructor(
    private readonly app: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  async start(
    ready: () => Promise<boolean> | boolean = () => this.output.includes('Worker started'),
  ): Promise<void> {
    this.child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(ROOT, `apps/${this.app}/src/main.ts`),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await waitFor(async () => this.child?.exitCode != null || (await ready()), {
      timeoutMs: 90_000,
      intervalMs: 200,
      what: `the ${this.app} process to start`,
    });
    if (this.child.exitCode != null) throw new Error(`${this.app} exited: ${this.output}`);
  }

  /** SIGTERM (graceful, flushing its logs), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** The newest PostgreSQL server binaries of the machine (Debian layout first, then PATH). */
function postgresBin(name: string): string {
  const base = '/usr/lib/postgresql';
  try {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin', name);
  } catch {
    // not Debian's layout
  }
  return name;
}

/**
 * A throwaway PostgreSQL cluster on its own port and data directory (trust auth), which a
 * test may stop and start; the machine's shared server is never touched. PostgreSQL refuses
 * to run as root, so under root the cluster belongs to the `postgres` user.
 */
export class PostgresCluster {
  private readonly dir: string;
  private readonly asRoot = userInfo().uid === 0;

  constructor(readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'da-pg-'));
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Asynchronous: the api under test runs in this process and must keep serving meanwhile. */
  private async run(bin: string, args: string[]): Promise<void> {
    const [command, argv] = this.asRoot
      ? ['runuser', ['-u', 'postgres', '--', postgresBin(bin), ...args]]
      : [postgresBin(bin), args];
    await promisify(execFile)(command, argv, { timeout: 120_000 });
  }

  async init(): Promise<void> {
    const data = join(this.dir, 'data');
    if (this.asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(this.dir, uid, gid);
      chmodSync(this.dir, 0o700);
    }
    await this.run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await this.start();
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.run('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-o',
      options,
      '-l',
      join(this.dir, 'log'),
      '-w',
      'start',
    ]);
    await waitFor(() => this.answers(), { timeoutMs: 30_000, what: `PostgreSQL on ${this.port}` });
  }

  /** `pg_ctl stop -m fast`: open connections are terminated, as in a restart. */
  async stop(): Promise<void> {
    await this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined); // already stopped
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async answers(): Promise<boolean> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
