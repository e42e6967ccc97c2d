import Redis from 'ioredis';
import { freePort } from './support/processes';
import { TestApp } from './support/test-app';

/** How compose and operators tell a worker is alive: a health port and a Redis heartbeat. */
describe('Worker health', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    app = await TestApp.start({ api: false, env: { WORKER_HEALTH_PORT: String(port) } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers GET /health on WORKER_HEALTH_PORT when PostgreSQL and Redis answer', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('keeps a heartbeat key with an expiry in Redis, and removes it on shutdown', async () => {
    const redis = new Redis(app.config.redis.url);
    try {
      const pattern = `${app.config.redis.queuePrefix}:worker:heartbeat:*`;
      const [key] = await redis.keys(pattern);
      expect(key).toBeDefined();
      expect(await redis.ttl(key!)).toBeGreaterThan(0);
      expect(Date.parse((await redis.get(key!))!)).not.toBeNaN();

      await app.stopWorker();
      expect(await redis.keys(pattern)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
