export * from './core.module';
export * from './logger';
export * from './prepare-database';
export * from './idempotency';
export * from './audit';
