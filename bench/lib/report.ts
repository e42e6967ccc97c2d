import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from '../load-client';
import { ROOT } from './processes';

export interface Summary {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface ScenarioResult {
  title: string;
  app: { runs: LoadResult[]; median: Summary };
  baseline: { runs: LoadResult[]; median: Summary };
  ratio: { rps: number; p50: number; p99: number };
}

export interface Goal {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface Results {
  date: string;
  commit: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number>;
  scenarios: Record<string, ScenarioResult>;
  slotEngine: { medianMs: number; p99Ms: number; slots: number };
  coldStart: { runsMs: number[]; medianMs: number };
  relay: { events: number; seconds: number; eventsPerSecond: number };
  pickup: { idle: Latency; underLoad: Latency };
  /** Bookings sent at a steady rate while the worker runs. */
  bookingPaced: LoadResult & { rate: number; cpuPerBooking: { apiMs: number; workerMs: number } };
  memory: { apiPeakRssMb: number; workerPeakRssMb: number; apiHwmMb: number; workerHwmMb: number };
  goals: Goal[];
}

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function latency(values: number[]): Latency {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: percentile(values, 100),
  };
}

export function summarize(runs: LoadResult[]): Summary {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

export function machine(): Record<string, string | number> {
  return {
    nproc: cpus().length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
    node: process.version,
  };
}

export function commit(): string {
  let sha: string;
  try {
    sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
  try {
    execFileSync('git', ['diff', '--quiet', 'HEAD', '--'], { cwd: ROOT });
    return sha;
  } catch {
    return `${sha} + uncommitted changes`;
  }
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');

export function goals(r: Omit<Results, 'goals'>): Goal[] {
  const s = r.scenarios;
  const list: Goal[] = [];
  const add = (name: string, target: string, value: string, met: boolean) =>
    list.push({ name, target, value, met });
  add('health req/s', '≥ 0.85× baseline', `${f2(s.health.ratio.rps)}×`, s.health.ratio.rps >= 0.85);
  add(
    'slots 7 days req/s',
    '≥ 0.75× baseline',
    `${f2(s.slots7.ratio.rps)}×`,
    s.slots7.ratio.rps >= 0.75,
  );
  add(
    'slots 7 days p99',
    '≤ 1.5× baseline',
    `${f2(s.slots7.ratio.p99)}×`,
    s.slots7.ratio.p99 <= 1.5,
  );
  const errors7 = s.slots7.app.median.errors + s.slots7.app.median.non2xx;
  add('slots 7 days errors', '0 at 50 connections', String(errors7), errors7 === 0);
  add(
    'slots 31 days p95',
    '≤ 100 ms',
    `${f1(s.slots31.app.median.p95)} ms`,
    s.slots31.app.median.p95 <= 100,
  );
  add(
    'booking req/s',
    '≥ 0.6× baseline',
    `${f2(s.booking.ratio.rps)}×`,
    s.booking.ratio.rps >= 0.6,
  );
  add(
    'booking p99, 50 connections',
    '≤ 100 ms',
    `${f1(s.booking.app.median.p99)} ms`,
    s.booking.app.median.p99 <= 100,
  );
  add(
    `booking p99, ${r.bookingPaced.rate} req/s with the worker`,
    '≤ 100 ms',
    `${f1(r.bookingPaced.p99)} ms`,
    r.bookingPaced.p99 <= 100 && r.bookingPaced.non2xx === 0,
  );
  add(
    'slot function, 30 days of 15 min',
    '≤ 1 ms median',
    `${f2(r.slotEngine.medianMs)} ms`,
    r.slotEngine.medianMs <= 1,
  );
  add(
    'api cold start to ready',
    '≤ 2 s',
    `${f2(r.coldStart.medianMs / 1000)} s`,
    r.coldStart.medianMs <= 2000,
  );
  add(
    'outbox relay',
    '≥ 1 000 events/s',
    `${f0(r.relay.eventsPerSecond)} events/s`,
    r.relay.eventsPerSecond >= 1000,
  );
  add(
    'api peak RSS under booking load',
    '≤ 300 MB',
    `${f0(r.memory.apiPeakRssMb)} MB`,
    r.memory.apiPeakRssMb <= 300,
  );
  add(
    'worker peak RSS under booking load',
    '≤ 300 MB',
    `${f0(r.memory.workerPeakRssMb)} MB`,
    r.memory.workerPeakRssMb <= 300,
  );
  return list;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(rows[0]),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** The figures as markdown tables: what stdout shows and BENCHMARKS.md keeps. */
export function renderTables(r: Results): string {
  const loadRows = [
    [
      'scenario',
      'app req/s',
      'base req/s',
      'ratio',
      'app p50',
      'base p50',
      'ratio',
      'app p99',
      'base p99',
      'ratio',
      'app/base p95',
      'errors app/base',
      'non-2xx app/base',
    ],
    ...Object.values(r.scenarios).map((s) => [
      s.title,
      f0(s.app.median.rps),
      f0(s.baseline.median.rps),
      `${f2(s.ratio.rps)}×`,
      `${f1(s.app.median.p50)} ms`,
      `${f1(s.baseline.median.p50)} ms`,
      `${f2(s.ratio.p50)}×`,
      `${f1(s.app.median.p99)} ms`,
      `${f1(s.baseline.median.p99)} ms`,
      `${f2(s.ratio.p99)}×`,
      `${f1(s.app.median.p95)}/${f1(s.baseline.median.p95)} ms`,
      `${s.app.median.errors}/${s.baseline.median.errors}`,
      `${s.app.median.non2xx}/${s.baseline.median.non2xx}`,
    ]),
  ];
  const otherRows = [
    ['measure', 'value'],
    [
      'slot function, 30 days of 15-minute slots',
      `median ${f2(r.slotEngine.medianMs)} ms, p99 ${f2(r.slotEngine.p99Ms)} ms (${r.slotEngine.slots} slots)`,
    ],
    [
      'api cold start to /health/ready',
      `median ${f0(r.coldStart.medianMs)} ms (runs ${r.coldStart.runsMs.map(f0).join(', ')} ms)`,
    ],
    [
      'outbox relay',
      `${f0(r.relay.eventsPerSecond)} events/s (${r.relay.events} events in ${f2(r.relay.seconds)} s)`,
    ],
    [
      `POST /appointments at ${r.bookingPaced.rate} req/s, worker on`,
      `p50 ${f1(r.bookingPaced.p50)} ms, p95 ${f1(r.bookingPaced.p95)} ms, p99 ${f1(r.bookingPaced.p99)} ms, ` +
        `non-2xx ${r.bookingPaced.non2xx}, errors ${r.bookingPaced.errors} (${r.bookingPaced.requests} bookings); ` +
        `CPU per booking: api ${f1(r.bookingPaced.cpuPerBooking.apiMs)} ms, worker ${f1(r.bookingPaced.cpuPerBooking.workerMs)} ms`,
    ],
    [
      'booking → event job active, one at a time',
      `p50 ${f0(r.pickup.idle.p50)} ms, p95 ${f0(r.pickup.idle.p95)} ms, max ${f0(r.pickup.idle.max)} ms (n=${r.pickup.idle.n})`,
    ],
    [
      'booking → event job active, under booking load',
      `p50 ${f0(r.pickup.underLoad.p50)} ms, p95 ${f0(r.pickup.underLoad.p95)} ms, max ${f0(r.pickup.underLoad.max)} ms (n=${r.pickup.underLoad.n})`,
    ],
    [
      'peak RSS under booking load (sampled / VmHWM)',
      `api ${f0(r.memory.apiPeakRssMb)} / ${f0(r.memory.apiHwmMb)} MB, worker ${f0(r.memory.workerPeakRssMb)} / ${f0(r.memory.workerHwmMb)} MB`,
    ],
  ];
  const goalRows = [
    ['goal', 'target', 'measured', 'met'],
    ...r.goals.map((g) => [g.name, g.target, g.value, g.met ? 'yes' : 'NO']),
  ];
  return [
    `Medians of ${r.settings.rounds} interleaved rounds (app, baseline, app, …), ${r.settings.connections} connections; ` +
      `ratios are app/baseline (req/s: higher is better; latency: lower is better).`,
    '',
    table(loadRows),
    '',
    table(otherRows),
    '',
    table(goalRows),
  ].join('\n');
}

const START = '<!-- bench:figures:start -->';
const END = '<!-- bench:figures:end -->';

/** Writes bench/results/latest.json and the figures section of BENCHMARKS.md. */
export function writeResults(r: Results): void {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`);
  const figures = [
    START,
    `Last run: ${r.date}, commit ${r.commit}.`,
    `Machine: ${r.machine.nproc} × ${r.machine.cpu}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.postgres}, Redis ${r.machine.redis}.`,
    `Settings: ${Object.entries(r.settings)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}.`,
    '',
    renderTables(r),
    END,
  ].join('\n');
  const file = join(ROOT, 'BENCHMARKS.md');
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : `# Benchmarks\n\n${START}\n${END}\n`;
  const from = current.indexOf(START);
  const to = current.indexOf(END);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + figures + current.slice(to + END.length)
      : `${current.trimEnd()}\n\n${figures}\n`;
  writeFileSync(file, next);
}
