import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_LEASE_SECONDS, IdempotencyClaim, IdempotencyRecords } from '@app/core';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

describe(IdempotencyRecords.name, () => {
  let app: TestApp;
  let records: IdempotencyRecords;

  /** Seconds until the claim's lease ends (negative once it has lapsed), null when none. */
  const leaseLeft = async (userId: string, key: string): Promise<number | null> => {
    const [row] = await app.dataSource.query(
      `SELECT extract(epoch FROM locked_until - now())::float AS left
       FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    return row.left as number | null;
  };
  const lapse = (claim: IdempotencyClaim) =>
    app.dataSource.query(
      `UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE id = $1`,
      [claim.id],
    );
  const claimOf = async (userId: string, key: string, hash: string) => {
    const outcome = await records.claim(userId, key, hash);
    if (outcome.kind !== 'claimed') throw new Error(`not claimed: ${outcome.kind}`);
    return outcome.claim;
  };

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
    records = app.get(IdempotencyRecords);
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('claims a key under a lease; the same request is in progress, another is refused', async () => {
    const [userId, key] = [randomUUID(), randomUUID()];

    await claimOf(userId, key, 'hash-a');

    expect(await leaseLeft(userId, key)).toBeGreaterThan(IDEMPOTENCY_LEASE_SECONDS - 5);
    expect(await records.claim(userId, key, 'hash-a')).toEqual({ kind: 'in_progress' });
    expect(await records.claim(userId, key, 'hash-b')).toEqual({ kind: 'reused' });
  });

  it('hands a lapsed claim to the next taker under a new id; the old one is fenced off', async () => {
    const [userId, key] = [randomUUID(), randomUUID()];
    const stale = await claimOf(userId, key, 'hash-a');
    await lapse(stale);

    const taken = await claimOf(userId, key, 'hash-a');

    expect(taken.id).not.toBe(stale.id);
    expect(await records.renew(stale)).toBe(false);
    expect(await records.complete(stale, 201, { from: 'stale' })).toBe(false);
    await records.release(stale);
    expect(await records.claim(userId, key, 'hash-a')).toEqual({ kind: 'in_progress' });
    expect(await records.complete(taken, 201, { from: 'taker' })).toBe(true);
    expect(await records.claim(userId, key, 'hash-a')).toEqual({
      kind: 'completed',
      status: 201,
      body: { from: 'taker' },
    });
    expect(await leaseLeft(userId, key)).toBeNull();
  });

  it('keeps renewing the lease of a running claim until told to stop', async () => {
    const [userId, key] = [randomUUID(), randomUUID()];
    const claim = await claimOf(userId, key, 'hash-a');
    const shortenLease = () =>
      app.dataSource.query(
        `UPDATE idempotency_keys SET locked_until = now() + interval '1 second' WHERE id = $1`,
        [claim.id],
      );
    /** Starts keepAlive on a fake clock and lets one renewal period pass. */
    const keepAliveOnePeriod = async (stopAtOnce: boolean) => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      const stop = records.keepAlive(claim);
      if (stopAtOnce) stop();
      await jest.advanceTimersByTimeAsync((IDEMPOTENCY_LEASE_SECONDS * 1000) / 3);
      // The renewal's query runs on real sockets and timers.
      jest.useRealTimers();
      return stop;
    };

    await shortenLease();
    const stop = await keepAliveOnePeriod(false);
    await waitFor(async () => ((await leaseLeft(userId, key)) ?? 0) > 20, {
      what: 'a renewed lease',
    });
    stop();

    await shortenLease();
    await keepAliveOnePeriod(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await leaseLeft(userId, key)).toBeLessThan(2);
  });
});
