/**
 * Generates load with autocannon in a process of its own (forked by the runner), so the
 * client does not share an event loop with the server it measures. Percentiles come from
 * every response time, not autocannon's buckets, so p95 is available too.
 */
import autocannon from 'autocannon';

export type LoadRequests =
  | { kind: 'paths'; method: 'GET'; paths: string[] }
  | { kind: 'bookings'; path: string; items: { token: string; body: string }[] };

export interface LoadJob {
  url: string;
  /** Closed loop: this many connections, each sending its next request on each answer. */
  connections: number;
  /** Open loop instead: requests sent at this steady rate (per second), whatever the answers. */
  pacedRate?: number;
  /** Seconds; or `amount` requests in all. */
  duration?: number;
  amount?: number;
  /** Requests per second in all; unset: as fast as the server answers. */
  overallRate?: number;
  requests: LoadRequests;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summarize(
  latencies: number[],
  statusCodes: Record<string, number>,
  seconds: number,
  errors: number,
): LoadResult {
  latencies.sort((a, b) => a - b);
  const non2xx = Object.entries(statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors,
    timeouts: 0,
    non2xx,
    statusCodes,
  };
}

/** Open loop: one request every 1/rate s (bookings only), so latency is not queueing behind the client. */
async function runPaced(
  job: LoadJob & { requests: Extract<LoadRequests, { kind: 'bookings' }> },
): Promise<LoadResult> {
  const { items, path } = job.requests;
  const interval = 1000 / job.pacedRate!;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inflight.push(
      fetch(`${job.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${items[i].token}` },
        body: items[i].body,
      })
        .then(async (response) => {
          await response.arrayBuffer();
          latencies.push(performance.now() - sent);
          statusCodes[response.status] = (statusCodes[response.status] ?? 0) + 1;
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inflight);
  return summarize(latencies, statusCodes, (performance.now() - started) / 1000, errors);
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  if (job.pacedRate && job.requests.kind === 'bookings')
    return runPaced({ ...job, requests: job.requests });
  let next = 0;
  const { requests } = job;
  const request: autocannon.Request =
    requests.kind === 'paths'
      ? {
          method: requests.method,
          setupRequest: (req) => ({ ...req, path: requests.paths[next++ % requests.paths.length] }),
        }
      : {
          method: 'POST',
          path: requests.path,
          setupRequest: (req) => {
            const item = requests.items[next++];
            if (!item) throw new Error('booking pool exhausted');
            return {
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${item.token}`,
              },
              body: item.body,
            };
          },
        };
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    // Unset keys must stay absent: autocannon rejects an explicit undefined duration.
    ...(job.amount ? { amount: job.amount } : { duration: job.duration ?? 5 }),
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
    requests: [request],
    timeout: 10,
  });
  let lastResponse = started;
  instance.on(
    'response',
    (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      lastResponse = process.hrtime.bigint();
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    },
  );
  const result = await instance;
  // With `amount`, autocannon notices it is done only at its next one-second tick.
  const seconds = Number((job.amount ? lastResponse : process.hrtime.bigint()) - started) / 1e9;
  return {
    ...summarize(latencies, statusCodes, seconds, result.errors),
    timeouts: result.timeouts,
  };
}

if (require.main === module) {
  process.once('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (error: unknown) => process.send!({ error: String(error) }, () => process.exit(1)),
    );
  });
}
