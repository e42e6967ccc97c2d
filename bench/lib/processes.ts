import { ChildProcess, fork, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadJob, LoadResult } from '../load-client';

export const ROOT = join(__dirname, '..', '..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

export interface Server {
  name: string;
  url: string;
  process: ChildProcess;
  logFile: string;
}

/** Starts a Node process with its output in a log file (servers log a line per request). */
export function startProcess(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
): { process: ChildProcess; logFile: string } {
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return { process: child, logFile };
}

export function baselineArgs(): string[] {
  return [...TS_NODE, join(ROOT, 'bench', 'baseline', 'server.ts')];
}

/** Polls `url` until it answers 200; returns the milliseconds it took. */
export async function waitForOk(
  url: string,
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs)
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`; returns whether it exited by itself. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
  return graceful;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident set size now and its peak so far (VmHWM), in MB, from /proc. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Samples the RSS of some processes every 100 ms until stopped; returns the peak of each. */
export function sampleRss(pids: Record<string, number>): () => Record<string, number> {
  const peaks: Record<string, number> = Object.fromEntries(
    Object.keys(pids).map((name) => [name, 0]),
  );
  const take = () => {
    for (const [name, pid] of Object.entries(pids)) {
      try {
        peaks[name] = Math.max(peaks[name], memoryOf(pid).rssMb);
      } catch {
        // exited
      }
    }
  };
  take();
  const timer = setInterval(take, 100);
  return () => {
    clearInterval(timer);
    take();
    return peaks;
  };
}

/** Runs one load job with autocannon in a child process of its own. */
export function runLoadInChild(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(ROOT, 'bench', 'load-client.ts'), [], { cwd: ROOT, execArgv: TS_NODE });
    let settled = false;
    child.once('message', (message: { result?: LoadResult; error?: string }) => {
      settled = true;
      if (message.result) resolve(message.result);
      else reject(new Error(message.error ?? 'load client failed'));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load client exited with ${code}`));
    });
    child.send(job);
  });
}
