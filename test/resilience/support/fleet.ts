import { ChildProcess, execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/processes';
import { waitFor } from '../../support/wait-for';

const ROOT = join(__dirname, '..', '..', '..');
/** Every process's output, for a look after a failed run (test-artifacts/ is not committed). */
export const LOG_DIR = join(ROOT, 'test-artifacts', 'resilience');

/**
 * The api or the worker as an OS process, signalled like a container: from `build` (see
 * transpileApps) when given, else through ts-node.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  output = '';
  /** Every run's output, oldest first (a restart starts a new one). */
  readonly runs: string[] = [];

  constructor(
    readonly name: string,
    private readonly app: 'api' | 'worker',
    private readonly env: Record<string, string>,
    /** api only: the port it listens on. */
    readonly port = 0,
    private readonly build?: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until it is ready (api: /health/ready answers 200). */
  async start(): Promise<void> {
    this.output = '';
    this.runs.push('');
    const run = this.runs.length - 1;
    const main = this.build
      ? [join(this.build, `apps/${this.app}/src/main.js`)]
      : ['-r', 'ts-node/register/transpile-only', join(ROOT, `apps/${this.app}/src/main.ts`)];
    const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', ...main], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        ...this.env,
        ...(this.app === 'api' ? { PORT: String(this.port), HOST: '127.0.0.1' } : {}),
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        ...(this.build ? { TS_NODE_BASEURL: this.build } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    mkdirSync(LOG_DIR, { recursive: true });
    const log = join(LOG_DIR, `${this.name}.log`);
    if (run === 0) writeFileSync(log, '');
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
      this.runs[run] += chunk.toString();
      appendFileSync(log, chunk);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await waitFor(async () => child.exitCode !== null || (await this.ready()), {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: `${this.name} to start`,
    });
    if (child.exitCode !== null) throw new Error(`${this.name} exited: ${this.output}`);
  }

  private async ready(): Promise<boolean> {
    if (this.app === 'worker') return this.output.includes('Worker started');
    try {
      return (await fetch(`${this.url}/health/ready`)).status === 200;
    } catch {
      return false;
    }
  }

  /** Sends a signal; resolves when the process has exited (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = this.exited();
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  exited(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }
}

/** Answer of HAProxy's stats socket to one command. */
function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = connect(socket);
    let answer = '';
    client.on('data', (chunk) => (answer += chunk.toString()));
    client.on('end', () => resolve(answer));
    client.on('error', reject);
    client.write(`${command}\n`);
  });
}

export interface BalancerTimings {
  /** Health check interval, ms. */
  interMs: number;
  /** Failed checks before a server is taken out. */
  fall: number;
  /** Passed checks before it is taken back. */
  rise: number;
}

/**
 * HAProxy (Debian's package) in front of the apis: round robin, readiness checks on
 * /health/ready, X-Served-By naming the server that answered.
 */
export class HaProxy {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'da-haproxy-'));
  output = '';

  private constructor(
    readonly port: number,
    readonly timings: BalancerTimings,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private get socket(): string {
    return join(this.dir, 'admin.sock');
  }

  static async start(
    servers: { name: string; port: number }[],
    timings: BalancerTimings = { interMs: 250, fall: 2, rise: 2 },
  ): Promise<HaProxy> {
    const proxy = new HaProxy(await freePort(), timings);
    const config = [
      'global',
      `  stats socket ${proxy.socket} mode 600 level admin`,
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 1s',
      '  timeout client 60s',
      // Longer than the event stream's heartbeat (15 s).
      '  timeout server 60s',
      '  timeout http-keep-alive 10s',
      // Without it a check times out after `inter`: a busy but healthy api would be taken out.
      '  timeout check 5s',
      // A connection refused (a process gone) is retried on the other server: nothing was sent.
      '  retries 2',
      '  option redispatch 1',
      '  retry-on conn-failure',
      'frontend api',
      `  bind 127.0.0.1:${proxy.port}`,
      '  default_backend apis',
      'backend apis',
      '  balance roundrobin',
      '  option httpchk GET /health/ready',
      '  http-check expect status 200',
      '  http-response set-header X-Served-By %s',
      `  default-server check inter ${timings.interMs} fall ${timings.fall} rise ${timings.rise}`,
      ...servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port}`),
      '',
    ].join('\n');
    writeFileSync(join(proxy.dir, 'haproxy.cfg'), config);
    await promisify(execFile)('haproxy', ['-c', '-q', '-f', join(proxy.dir, 'haproxy.cfg')]);
    proxy.child = spawn('haproxy', ['-db', '-f', join(proxy.dir, 'haproxy.cfg')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy.child.stdout?.on('data', (c: Buffer) => (proxy.output += c.toString()));
    proxy.child.stderr?.on('data', (c: Buffer) => (proxy.output += c.toString()));
    await waitFor(
      () =>
        adminCommand(proxy.socket, 'show info').then(
          () => true,
          () => false,
        ),
      { timeoutMs: 10_000, what: 'HAProxy to start' },
    );
    return proxy;
  }

  /** Each server's check status as HAProxy sees it: UP, DOWN, … */
  async states(): Promise<Record<string, string>> {
    const csv = await adminCommand(this.socket, 'show stat');
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const at = (name: string) => columns.indexOf(name);
    return Object.fromEntries(
      rows
        .map((row) => row.split(','))
        .filter((cells) => cells[at('pxname')] === 'apis' && cells[at('svname')] !== 'BACKEND')
        .map((cells) => [cells[at('svname')], cells[at('status')]]),
    );
  }

  async waitFor(server: string, state: 'UP' | 'DOWN', timeoutMs = 30_000): Promise<void> {
    await waitFor(async () => (await this.states())[server]?.startsWith(state), {
      timeoutMs,
      intervalMs: 50,
      what: `HAProxy to see ${server} ${state}`,
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A local Redis Cluster of three masters (no replicas), each on its own port and directory. */
export class RedisCluster {
  private readonly children: ChildProcess[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'da-redis-cluster-'));

  private constructor(readonly ports: number[]) {}

  /** REDIS_CLUSTER_NODES for the apps. */
  get nodes(): string {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`).join(',');
  }

  static async start(masters = 3): Promise<RedisCluster> {
    const ports: number[] = [];
    while (ports.length < masters * 2) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const cluster = new RedisCluster(ports.slice(0, masters));
    for (const [i, port] of cluster.ports.entries()) {
      const dir = join(cluster.dir, String(port));
      mkdirSync(dir);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          // The default bus port (port + 10000) may not exist for a high free port.
          '--cluster-port',
          String(ports[masters + i]),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, 'nodes.conf'),
          '--cluster-node-timeout',
          '2000',
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      cluster.children.push(child);
    }
    const cli = (args: string[]) => promisify(execFile)('redis-cli', args, { timeout: 30_000 });
    await waitFor(
      async () =>
        (
          await Promise.all(
            cluster.ports.map((port) =>
              cli(['-p', String(port), 'ping']).then(
                (r) => r.stdout.trim() === 'PONG',
                () => false,
              ),
            ),
          )
        ).every(Boolean),
      { timeoutMs: 15_000, what: 'the cluster nodes to answer' },
    );
    await cli([
      '--cluster',
      'create',
      ...cluster.ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitFor(
      async () =>
        (
          await Promise.all(
            cluster.ports.map((port) =>
              cli(['-p', String(port), 'cluster', 'info']).then(
                (r) => r.stdout.includes('cluster_state:ok'),
                () => false,
              ),
            ),
          )
        ).every(Boolean),
      { timeoutMs: 30_000, what: 'the Redis Cluster to be ok' },
    );
    return cluster;
  }

  /** Keys matching `pattern` on each master, by port. */
  async keysByNode(pattern: string): Promise<Record<number, string[]>> {
    const entries = await Promise.all(
      this.ports.map(async (port) => {
        const { stdout } = await promisify(execFile)('redis-cli', [
          '-p',
          String(port),
          '--scan',
          '--pattern',
          pattern,
        ]);
        return [port, stdout.split('\n').filter(Boolean)] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}
