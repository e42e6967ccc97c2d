#!/usr/bin/env node
// `npm start`: makes sure PostgreSQL and Redis answer (scripts/ensure-services.sh), builds if
// needed, starts a development mail inbox (maildev) when nothing listens on the local SMTP
// port, then runs the api (which creates the database and migrates) and, once the api is
// ready, the worker, and prints where everything is. Ctrl+C or SIGTERM stops them all.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..');
const APPS = {
  api: 'dist/apps/api/apps/api/src/main.js',
  worker: 'dist/apps/worker/apps/worker/src/main.js',
};
const SOURCES = ['apps', 'libs', 'tsconfig.json', 'nest-cli.json', 'package-lock.json'];
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
// The app's own defaults (libs/config/src/env.schema.ts).
const DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/doctor_appointment',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_URL: 'smtp://127.0.0.1:1025',
};
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

const children = new Map();
let stopping = false;
let failed = false;

function log(message) {
  process.stdout.write(`[start] ${message}\n`);
}

function loadDotEnv() {
  const file = path.join(ROOT, '.env');
  if (!fs.existsSync(file)) return;
  if (typeof process.loadEnvFile !== 'function') {
    log('.env ignored: Node >= 20.12 is needed to load it');
    return;
  }
  process.loadEnvFile(file); // variables already set in the environment win
  log('loaded .env');
}

/** Newest modification time under the given paths, skipping compiled and test files. */
function newestMtime(paths) {
  let newest = 0;
  const visit = (entry) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
    } else if (!entry.endsWith('.spec.ts')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  paths.forEach((p) => visit(path.join(ROOT, p)));
  return newest;
}

function distIsFresh() {
  const built = Object.values(APPS).map((file) =>
    fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false }),
  );
  if (built.some((stat) => !stat)) return false;
  return Math.min(...built.map((stat) => stat.mtimeMs)) >= newestMtime(SOURCES);
}

function env(name) {
  return process.env[name] || DEFAULTS[name];
}

/** Host (without IPv6 brackets), port and credentials of a service URL. */
function hostAndPort(url, defaultPort) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || defaultPort),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

function isListening(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Runs a command to its end with our terminal; rejects unless it exits 0. */
function run(label, command, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...extraEnv },
      stdio: 'inherit',
      shell: command === 'npm' && process.platform === 'win32',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

function npm(args) {
  // Under `npm start`, npm_execpath is npm's own CLI script: no shell needed on any OS.
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] =
    npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  return run(`npm ${args.join(' ')}`, command, commandArgs);
}

/** PostgreSQL and Redis where DATABASE_URL and REDIS_URL point: started or installed if local. */
async function ensureServices() {
  if (process.platform === 'win32') {
    log('make sure PostgreSQL and Redis answer (scripts/ensure-services.sh needs bash)');
    return;
  }
  const postgres = hostAndPort(env('DATABASE_URL'), 5432);
  const redis = hostAndPort(env('REDIS_URL'), 6379);
  await run('scripts/ensure-services.sh', 'bash', [path.join(ROOT, 'scripts/ensure-services.sh')], {
    PG_HOST: postgres.host,
    PG_PORT: String(postgres.port),
    PG_USER: postgres.user || 'postgres',
    ...(postgres.password && { PGPASSWORD: postgres.password }),
    REDIS_HOST: redis.host,
    REDIS_PORT: String(redis.port),
  });
}

/**
 * In development, a local SMTP_URL with nothing listening gets maildev (SMTP + web inbox) so
 * no email is lost; returns the banner's line about mail.
 */
async function ensureMailInbox(development) {
  const smtpUrl = env('SMTP_URL');
  const smtp = hostAndPort(smtpUrl, smtpUrl.startsWith('smtps:') ? 465 : 25);
  const local = LOCAL_HOSTS.has(smtp.host) && !new URL(smtpUrl).username;
  if (!development || !local) return `emails go to ${smtpUrl}`;
  if (await isListening(smtp.host, smtp.port)) {
    const mailpit = smtp.port === 1025 && (await isListening('127.0.0.1', 8025));
    return mailpit
      ? `http://localhost:8025 (Mailpit, already listening on ${smtp.host}:${smtp.port})`
      : `emails go to the SMTP server already listening on ${smtp.host}:${smtp.port}`;
  }
  // maildev's package exports only its ESM entry: find its bin through its manifest on disk.
  const manifest = path.join(ROOT, 'node_modules', 'maildev', 'package.json');
  if (!fs.existsSync(manifest)) {
    log(
      `nothing listens on ${smtp.host}:${smtp.port} and maildev is not installed (npm ci installs it)`,
    );
    return `none: nothing listens on ${smtp.host}:${smtp.port}, emails wait and are retried`;
  }
  const bin = path.join(
    path.dirname(manifest),
    JSON.parse(fs.readFileSync(manifest, 'utf8')).bin.maildev,
  );
  const mailDirectory = path.join(os.tmpdir(), `doctor-appointment-mail-${smtp.port}`);
  log(
    `nothing listens on ${smtp.host}:${smtp.port}: starting maildev (emails kept in ${mailDirectory})`,
  );
  const webPort = Number(process.env.MAILDEV_WEB_PORT || 1080);
  const ip = smtp.host === 'localhost' ? '127.0.0.1' : smtp.host;
  const args = [bin, '--smtp', String(smtp.port), '--ip', ip, '--web', String(webPort)];
  args.push('--web-ip', '127.0.0.1', '--mail-directory', mailDirectory);
  startChild('mail', process.execPath, args, { showStdout: false }); // its banner repeats ours
  const deadline = Date.now() + 30_000;
  while (!(await isListening(smtp.host, smtp.port)) || !(await isListening('127.0.0.1', webPort))) {
    if (stopping) return '';
    if (Date.now() > deadline) throw new Error('maildev did not start within 30s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return `http://localhost:${webPort} (maildev, SMTP on ${smtp.host}:${smtp.port})`;
}

function pipeWithPrefix(stream, prefix, target, onLine) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    target.write(`${prefix} ${line}\n`);
    onLine?.(line);
  });
}

/** The api and worker get pretty logs when we write to a terminal (their stdout is our pipe). */
function appEnv(development) {
  const childEnv = { ...process.env };
  if (development && process.stdout.isTTY && !childEnv.LOG_FORMAT) {
    childEnv.LOG_FORMAT = 'pretty';
    if (!('NO_COLOR' in childEnv)) childEnv.FORCE_COLOR = '1';
  }
  return childEnv;
}

function startApp(name, development, onLine) {
  const args = ['--enable-source-maps', APPS[name]];
  return startChild(name, process.execPath, args, { env: appEnv(development), onLine });
}

/** A child until we stop; `showStdout: false` keeps only its stderr (warnings, errors). */
function startChild(name, command, args, { env = process.env, onLine, showStdout = true } = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl+C reaches the children only once, through us.
    detached: process.platform !== 'win32',
  });
  children.set(name, child);
  if (showStdout) pipeWithPrefix(child.stdout, `[${name}]`, process.stdout, onLine);
  else child.stdout.resume();
  pipeWithPrefix(child.stderr, `[${name}]`, process.stderr, onLine);
  child.on('error', (error) => log(`${name} could not start: ${error.message}`));
  child.on('exit', (code, signal) => {
    children.delete(name);
    const clean = code === 0 || (stopping && signal !== null && signal !== 'SIGKILL');
    log(`${name} exited (${signal ?? `code ${code}`})`);
    if (!stopping) {
      failed = true;
      stopAll('SIGTERM', `${name} stopped unexpectedly`);
    } else if (!clean) {
      failed = true;
    }
    if (children.size === 0) process.exit(failed ? 1 : 0);
  });
  return child;
}

function stopAll(signal, reason) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping ${[...children.keys()].join(' and ') || 'nothing'}`);
  for (const child of children.values()) child.kill(signal);
  setTimeout(() => {
    for (const [name, child] of children) {
      log(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000}s: killing it`);
      child.kill('SIGKILL');
    }
  }, STOP_TIMEOUT_MS).unref();
  if (children.size === 0) process.exit(failed ? 1 : 0);
}

async function waitUntilReady(url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (stopping) return false;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/** The banner's line about demo data (a hint only: never fails). */
async function demoData(apiUrl) {
  try {
    const response = await fetch(`${apiUrl}/api/v1/doctors?limit=1`, {
      signal: AbortSignal.timeout(5000),
    });
    const { total } = await response.json();
    if (total === 0)
      return 'no doctors yet: `npm run seed` in another terminal adds demo data and prints the logins';
    return `${total} doctors; \`npm run seed\` prints the demo logins (docs/frontend.md)`;
  } catch {
    return '`npm run seed` adds demo data and prints the logins';
  }
}

function printBanner(publicUrl, mail, demo) {
  const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);
  const rows = [
    ['API', `${publicUrl}/api/v1`],
    ['Swagger UI', `${publicUrl}/docs`],
    [
      'Bull Board',
      `${publicUrl}/admin/queues (admins: POST /admin/queues/session in Swagger UI first)`,
    ],
    ['Mail inbox', mail],
    ['Demo data', demo],
  ];
  const lines = [
    '',
    bold(
      `Doctor Appointment is running (${process.env.NODE_ENV || 'development'}); Ctrl+C stops it.`,
    ),
    ...rows.map(([name, value]) => `  ${bold(name.padEnd(11))} ${value}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  loadDotEnv();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (stopping) {
        log(`${signal} again: killing ${[...children.keys()].join(' and ')}`);
        for (const child of children.values()) child.kill('SIGKILL');
        return;
      }
      stopAll(signal, `${signal} received`);
    });
  }
  // Last resort on an unexpected crash of this script: do not leave children behind.
  process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));
  // `npm start` runs us under `sh -c`; a SIGTERM to npm kills that shell, not us.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopAll('SIGTERM', 'parent process exited');
  }, 1000).unref();

  const development = (process.env.NODE_ENV || 'development') === 'development';
  await ensureServices();
  if (stopping) return;
  if (distIsFresh()) {
    log('dist is up to date, skipping the build');
  } else {
    log('building (npm run build)');
    await npm(['run', 'build']);
  }
  if (stopping) return;
  const mail = await ensureMailInbox(development);
  if (stopping) return;

  startApp('api', development);
  const host = ['0.0.0.0', '::', ''].includes(process.env.HOST ?? '')
    ? '127.0.0.1'
    : process.env.HOST;
  const port = process.env.PORT || 3000;
  const readyUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/health/ready`;
  log(`waiting for ${readyUrl}`);
  if (!(await waitUntilReady(readyUrl))) {
    if (!stopping) {
      failed = true;
      stopAll('SIGTERM', `api not ready within ${READY_TIMEOUT_MS / 1000}s`);
    }
    return;
  }
  if (stopping) return;
  const demo = await demoData(readyUrl.replace(/\/health\/ready$/, ''));
  log('api is ready, starting the worker');
  const workerStarted = new Promise((resolve) =>
    startApp('worker', development, (line) => line.includes('Worker started') && resolve()),
  );
  await workerStarted;
  if (stopping) return;
  const shownHost = ['0.0.0.0', '::', '', '127.0.0.1'].includes(process.env.HOST ?? '')
    ? 'localhost'
    : host;
  const publicUrl = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  printBanner(publicUrl, mail, demo);
}

main().catch((error) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  failed = true;
  if (children.size > 0) stopAll('SIGTERM', 'start failed');
  else process.exit(1);
});
