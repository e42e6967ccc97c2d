import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { INestApplicationContext } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { SmtpSink } from './smtp-sink';

const FILE_ID = randomBytes(3).toString('hex');
/** One queue prefix per test file: its worker never takes another file's jobs. */
const FILE_QUEUE_PREFIX = `${process.env.QUEUE_PREFIX ?? 'da_test'}_${FILE_ID}`;
let fileDatabase: Promise<string> | undefined;

/**
 * One database per test file, cloned from the run's freshly migrated one: a file's worker
 * (its outbox relay) never picks up another file's events, even when files run in parallel.
 */
function databaseForThisFile(): Promise<string> {
  fileDatabase ??= (async () => {
    const template = new URL(process.env.DATABASE_URL!);
    const templateName = template.pathname.slice(1);
    const url = new URL(template.toString());
    url.pathname = `/${templateName}_f${FILE_ID}`;
    const admin = new URL(template.toString());
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await client.query(
            `CREATE DATABASE "${url.pathname.slice(1)}" TEMPLATE "${templateName}"`,
          );
          break;
        } catch (error) {
          // Another file is cloning the template at this moment: try again shortly.
          if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
        }
      }
    } finally {
      await client.end();
    }
    return url.toString();
  })();
  return fileDatabase;
}

export interface TestAppOptions {
  /** Extra environment for this app (e.g. PAYPAL_API_BASE_URL of a fake). */
  env?: Record<string, string>;
  api?: boolean;
  worker?: boolean;
  /** Reuse an SMTP sink (e.g. across a worker restart); one is started otherwise. */
  smtp?: SmtpSink;
}

/** The real api and worker, in-process, against the run's PostgreSQL and Redis. */
export class TestApp {
  api?: NestFastifyApplication;
  worker?: INestApplicationContext;
  baseUrl = '';
  private ownsSmtp = false;

  private constructor(
    readonly config: AppConfig,
    readonly smtp: SmtpSink,
  ) {}

  static queuePrefix(): string {
    return FILE_QUEUE_PREFIX;
  }

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const smtp = options.smtp ?? (await SmtpSink.start());
    const config = AppConfig.fromEnv({
      ...process.env,
      DATABASE_URL: await databaseForThisFile(),
      QUEUE_PREFIX: FILE_QUEUE_PREFIX,
      SMTP_URL: smtp.url,
      // Every test talks from 127.0.0.1: only the rate-limit suite runs with the real limits.
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...options.env,
    });
    const app = new TestApp(config, smtp);
    app.ownsSmtp = !options.smtp;
    if (options.api !== false) {
      app.api = await createApiApp(config);
      await app.api.listen(0, '127.0.0.1');
      const address = app.api.getHttpServer().address() as AddressInfo;
      app.baseUrl = `http://127.0.0.1:${address.port}`;
    }
    if (options.worker !== false) app.worker = await createWorkerApp(config);
    return app;
  }

  get http(): TestAgent {
    return request(this.baseUrl);
  }

  get dataSource(): DataSource {
    return (this.api ?? this.worker)!.get(DataSource);
  }

  get<T>(token: new (...args: never[]) => T): T {
    return (this.api ?? this.worker)!.get(token, { strict: false });
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  async startWorker(): Promise<void> {
    this.worker = await createWorkerApp(this.config);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.api?.close();
    if (this.ownsSmtp) await this.smtp.close();
  }
}
