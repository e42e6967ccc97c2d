import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@app/database';

/** A throwaway database of its own for one bench run: created, migrated, dropped. */
export class BenchDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly adminUrl: string,
  ) {}

  static async create(serverUrl: string): Promise<BenchDatabase> {
    const name = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const url = withDatabase(serverUrl, name);
    const db = new BenchDatabase(name, url, withDatabase(serverUrl, 'postgres'));
    await ensureDatabase(url);
    const dataSource = new DataSource(dataSourceOptions(url, { logging: ['error'] }));
    await dataSource.initialize();
    try {
      await runMigrationsLocked(dataSource);
    } finally {
      await dataSource.destroy();
    }
    return db;
  }

  async client(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    return client;
  }

  async drop(): Promise<void> {
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
