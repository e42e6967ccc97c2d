import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@app/database';

/** A freshly migrated database of its own, on the server of `baseUrl` (the run's by default). */
export class IsolatedDatabase {
  private constructor(readonly url: string) {}

  static async create(
    label: string,
    baseUrl = process.env.DATABASE_URL!,
  ): Promise<IsolatedDatabase> {
    const url = new URL(baseUrl);
    const base = url.pathname.slice(1).slice(0, 40);
    url.pathname = `/${base}_${label}_${randomBytes(2).toString('hex')}`;
    await ensureDatabase(url.toString());
    const dataSource = new DataSource(dataSourceOptions(url.toString(), { logging: ['error'] }));
    await dataSource.initialize();
    try {
      await runMigrationsLocked(dataSource);
    } finally {
      await dataSource.destroy();
    }
    return new IsolatedDatabase(url.toString());
  }

  /** One query on a connection of its own. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    const url = new URL(this.url);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}

/**
 * Row count and content digest of every table, to prove a batch of requests wrote nothing.
 * `except` names tables that record requests by design (the audit trail).
 */
export async function tableDigests(
  dataSource: DataSource,
  except: string[] = [],
): Promise<Record<string, string>> {
  const tables: { name: string }[] = await dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    if (except.includes(name)) continue;
    const [row]: { n: number; digest: string }[] = await dataSource.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
    );
    digests[name] = `${row.n} rows, ${row.digest}`;
  }
  return digests;
}
