import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { JobProducer, QueueName, systemPingJob } from '@app/queues';
import { TestApp } from './support/test-app';

describe('Foundation', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports ready when PostgreSQL and Redis answer', async () => {
    const res = await app.http.get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
    await app.http.get('/health/live').expect(200);
  });

  it('runs against its own freshly migrated database', async () => {
    const [{ current_database }] = await app.dataSource.query('SELECT current_database()');
    expect(current_database).toMatch(/^da_test_/);
    const rows = await app.dataSource.query(
      "SELECT extname FROM pg_extension WHERE extname IN ('btree_gist', 'citext') ORDER BY extname",
    );
    expect(rows.map((r: { extname: string }) => r.extname)).toEqual(['btree_gist', 'citext']);
  });

  it('serves an OpenAPI 3 document with the bearer scheme and the Swagger UI', async () => {
    const res = await app.http.get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const ui = await app.http.get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await app.http.get('/api/v1/does-not-exist').expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not found' });
    expect(res.body.type).toMatch(/^https:\/\//);
  });

  it('answers a malformed JSON body with 400, not 500', async () => {
    const res = await app.http
      .post('/api/v1/does-not-exist')
      .set('Content-Type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers a body over the limit with 413 problem+json', async () => {
    const huge = JSON.stringify({ blob: 'x'.repeat(app.config.http.bodyLimit + 10) });
    const res = await app.http
      .post('/api/v1/does-not-exist')
      .set('Content-Type', 'application/json')
      .send(huge);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported content type with 415 problem+json', async () => {
    const res = await app.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/xml')
      .send('<login/>');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  // Public reads (specialties, doctors, slots) are cacheable: test/http-semantics.e2e-spec.ts.
  it('tells caches not to keep personal API answers', async () => {
    const res = await app.http.get('/api/v1/me').expect(401);
    expect(res.headers['cache-control']).toBe('no-store');
    const tokens = await app.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: 'not-a-token' });
    expect(tokens.headers['cache-control']).toBe('no-store');
    const problem = await app.http
      .post('/api/v1/auth/login')
      .send({ email: 'x@example.test', password: 'wrong-password' });
    expect(problem.headers['cache-control']).toBe('no-store');
  });

  it('echoes a valid X-Request-Id and makes one up otherwise', async () => {
    const mine = await app.http.get('/health/live').set('X-Request-Id', 'trace-123').expect(200);
    expect(mine.headers['x-request-id']).toBe('trace-123');
    const made = await app.http
      .get('/health/live')
      .set('X-Request-Id', 'bad id with spaces')
      .expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics with a request duration histogram', async () => {
    await app.http.get('/health/live');
    const res = await app.http.get('/metrics').expect(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/route="\/health\/live"/);
  });

  it('processes in the worker a job the api enqueued, under the run queue prefix', async () => {
    const producer = app.api!.get(JobProducer);
    const token = randomUUID();
    const job = await producer.enqueue(systemPingJob, { token });
    const queue = producer.queue(QueueName.System);
    const events = new QueueEvents(QueueName.System, {
      connection: { url: app.config.redis.url },
      prefix: app.config.redis.queuePrefix,
    });
    try {
      const result = await job.waitUntilFinished(events, 15000);
      expect(result.pong).toBe(token);
    } finally {
      await events.close();
    }
    expect(queue.opts.prefix).toBe(TestApp.queuePrefix());
  });
});
