#!/usr/bin/env node
// `npm start`: builds if needed, then runs the api (which creates the database and migrates)
// and, once the api is ready, the worker. Ctrl+C or SIGTERM stops both.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
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

function npm(args) {
  // Under `npm start`, npm_execpath is npm's own CLI script: no shell needed on any OS.
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] =
    npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      stdio: 'inherit',
      shell: command === 'npm' && process.platform === 'win32',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`npm ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

function pipeWithPrefix(stream, prefix, target) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    target.write(`${prefix} ${line}\n`);
  });
}

function startApp(name) {
  const child = spawn(process.execPath, ['--enable-source-maps', APPS[name]], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl+C reaches the children only once, through us.
    detached: process.platform !== 'win32',
  });
  children.set(name, child);
  pipeWithPrefix(child.stdout, `[${name}]`, process.stdout);
  pipeWithPrefix(child.stderr, `[${name}]`, process.stderr);
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

/** On an empty development database, point at the demo data (a hint only: never fails). */
async function suggestSeed(apiUrl) {
  try {
    const response = await fetch(`${apiUrl}/api/v1/doctors?limit=1`, { signal: AbortSignal.timeout(5000) });
    if (response.ok && (await response.json()).total === 0) {
      log('no doctors in the database yet: `npm run seed` adds demo data and prints the logins');
    }
  } catch {
    // the hint is optional
  }
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

  if (distIsFresh()) {
    log('dist is up to date, skipping the build');
  } else {
    log('building (npm run build)');
    await npm(['run', 'build']);
  }
  if (stopping) return;

  startApp('api');
  const host = ['0.0.0.0', '::', ''].includes(process.env.HOST ?? '')
    ? '127.0.0.1'
    : process.env.HOST;
  const readyUrl = `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT || 3000}/health/ready`;
  log(`waiting for ${readyUrl}`);
  if (!(await waitUntilReady(readyUrl))) {
    if (!stopping) {
      failed = true;
      stopAll('SIGTERM', `api not ready within ${READY_TIMEOUT_MS / 1000}s`);
    }
    return;
  }
  if (stopping) return;
  log('api is ready, starting the worker');
  startApp('worker');
  await suggestSeed(readyUrl.replace(/\/health\/ready$/, ''));
}

main().catch((error) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  failed = true;
  if (children.size > 0) stopAll('SIGTERM', 'start failed');
  else process.exit(1);
});
