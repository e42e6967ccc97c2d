import { randomUUID } from 'node:crypto';
import { FakePayPal } from '../../fakes/paypal-fake';

/** One answer (or failure) at the balancer. */
export interface Sample {
  op: string;
  startedAt: number;
  endedAt: number;
  status: number;
  servedBy: string | null;
  /** A status the operation does not expect, a reset, or a timeout. */
  failed: boolean;
  error?: string;
}

export interface LoadUser {
  id: string;
  token: string;
}

export interface LoadTargets {
  baseUrl: string;
  freeDoctorId: string;
  paidDoctorId: string;
  paypal: FakePayPal;
  /** The i-th free start: every booking of the run gets its own, so no two collide. */
  slot: (i: number) => string;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Steady traffic through the balancer, as patients make it: slot searches, bookings with an
 * Idempotency-Key, cancellations, lists, and paid bookings whose PayPal approval sends a
 * webhook back through the balancer. Every answer is recorded with its timing.
 */
export class Load {
  readonly samples: Sample[] = [];
  /** Appointments booked (201) during the run. */
  readonly booked: string[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private nextSlot = 0;

  constructor(
    private readonly targets: LoadTargets,
    private readonly users: LoadUser[],
    private readonly pauseMs = 100,
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.users.map((user, i) => this.client(user, i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  between(from: number, to: number): Sample[] {
    return this.samples.filter((s) => s.startedAt >= from && s.startedAt < to);
  }

  private async client(user: LoadUser, offset: number): Promise<void> {
    const mine: string[] = [];
    const ops = ['slots', 'book', 'list', 'book', 'cancel', 'slots', 'pay'];
    for (let i = offset; this.running; i += 1) {
      const op = ops[i % ops.length];
      try {
        if (op === 'slots') await this.slots();
        else if (op === 'list') await this.call('list', 'GET', '/api/v1/appointments', user, [200]);
        else if (op === 'book') {
          const id = await this.book(user, this.targets.freeDoctorId);
          if (id) mine.push(id);
        } else if (op === 'cancel') {
          const id = mine.shift();
          if (id) {
            await this.call('cancel', 'POST', `/api/v1/appointments/${id}/cancel`, user, [200], {
              reason: 'load test',
            });
          }
        } else await this.pay(user);
      } catch {
        // recorded in the samples
      }
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }

  private async slots(): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    const week = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
    await this.call(
      'slots',
      'GET',
      `/api/v1/doctors/${this.targets.freeDoctorId}/slots?from=${today}&to=${week}`,
      undefined,
      [200],
    );
  }

  private async book(user: LoadUser, doctorId: string): Promise<string | undefined> {
    const res = await this.call(
      'book',
      'POST',
      '/api/v1/appointments',
      user,
      [201, 409],
      { doctorId, startsAt: this.targets.slot(this.nextSlot++) },
      { 'Idempotency-Key': randomUUID() },
    );
    if (res.status !== 201) return undefined;
    const id = (res.body as { id: string }).id;
    this.booked.push(id);
    return id;
  }

  /** A paid booking: order at PayPal, the buyer approves (webhook), the patient captures. */
  private async pay(user: LoadUser): Promise<void> {
    const appointmentId = await this.book(user, this.targets.paidDoctorId);
    if (!appointmentId) return;
    const order = await this.call(
      'pay',
      'POST',
      `/api/v1/appointments/${appointmentId}/payments`,
      user,
      [201],
      {},
      { 'Idempotency-Key': randomUUID() },
    );
    const payment = order.body as { id: string; providerOrderId: string };
    this.targets.paypal.approve(payment.providerOrderId);
    await this.call('capture', 'POST', `/api/v1/payments/${payment.id}/capture`, user, [202], {});
  }

  private async call(
    op: string,
    method: string,
    url: string,
    user: LoadUser | undefined,
    expected: number[],
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (user) headers.Authorization = `Bearer ${user.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const startedAt = Date.now();
    try {
      const res = await fetch(this.targets.baseUrl + url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      const failed = !expected.includes(res.status);
      this.samples.push({
        op,
        startedAt,
        endedAt: Date.now(),
        status: res.status,
        servedBy: res.headers.get('x-served-by'),
        failed,
        ...(failed ? { error: text.slice(0, 300) } : {}),
      });
      if (failed) throw new Error(`${op}: ${res.status}`);
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith(`${op}:`))) {
        this.samples.push({
          op,
          startedAt,
          endedAt: Date.now(),
          status: 0,
          servedBy: null,
          failed: true,
          // fetch hides the socket error in `cause` (a reset, "other side closed", a timeout).
          error:
            error instanceof Error
              ? `${error.name}: ${error.message}${error.cause ? ` (${String((error.cause as Error).message ?? error.cause)})` : ''}`
              : String(error),
        });
      }
      throw error;
    }
  }
}

/** The p-th percentile of the samples' durations, ms. */
export function percentile(samples: Sample[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = samples.map((s) => s.endedAt - s.startedAt).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** "status×count" of the samples, for failure messages and the figures. */
export function tally(samples: Sample[]): string {
  const counts = samples.reduce<Record<string, number>>((acc, s) => {
    const key = `${s.op} ${s.status}`;
    return { ...acc, [key]: (acc[key] ?? 0) + 1 };
  }, {});
  return Object.entries(counts)
    .map(([key, n]) => `${key}×${n}`)
    .join(', ');
}
