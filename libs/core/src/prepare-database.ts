import { Logger, type LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@app/database';

/** Creates the database if missing and applies pending migrations (RUN_MIGRATIONS). */
export async function prepareDatabase(
  config: AppConfig,
  logger: Pick<LoggerService, 'log'> = new Logger('Database'),
): Promise<void> {
  await ensureDatabase(config.database.url);
  if (!config.database.runMigrations) return;
  const dataSource = new DataSource(dataSourceOptions(config.database.url, { logging: ['error'] }));
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource, () =>
      logger.log('Another instance is migrating: waiting for the migration lock'),
    );
    logger.log(
      applied.length > 0
        ? `Applied migrations: ${applied.join(', ')}`
        : 'Migrations up to date: nothing to apply',
    );
  } finally {
    await dataSource.destroy();
  }
}
