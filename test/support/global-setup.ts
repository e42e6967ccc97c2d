// globalSetup runs outside Jest's module mapper: resolve @app/* through tsconfig paths.
import 'tsconfig-paths/register';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@app/database';

/** One freshly migrated database and one queue prefix per test run, so runs never collide. */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  // PG_* and REDIS_* are where scripts/ensure-services.sh (npm test's pretest) made them answer.
  const env = process.env;
  const base = new URL(
    env.TEST_DATABASE_URL ??
      `postgres://postgres@${env.PG_HOST ?? '127.0.0.1'}:${env.PG_PORT ?? 5432}/postgres`,
  );
  base.pathname = `/da_test_${runId}`;
  process.env.NODE_ENV = 'test';
  process.env.DATABASE_URL = base.toString();
  process.env.QUEUE_PREFIX = `da_test_${runId}`;
  process.env.REDIS_URL =
    env.TEST_REDIS_URL ?? `redis://${env.REDIS_HOST ?? '127.0.0.1'}:${env.REDIS_PORT ?? 6379}`;
  process.env.RUN_MIGRATIONS = 'false';
  // Receivers in the tests listen on 127.0.0.1; the SSRF tests turn it off for themselves.
  process.env.OUTBOUND_ALLOW_PRIVATE = 'true';
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  process.env.TEST_RUN_ID = runId;

  const config = AppConfig.fromEnv(process.env);
  await ensureDatabase(config.database.url);
  const dataSource = new DataSource(dataSourceOptions(config.database.url, { logging: ['error'] }));
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();
}
