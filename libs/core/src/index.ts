export * from './core.module';
export * from './logger';
export * from './prepare-database';
export * from './idempotency';
export * from './audit';
export * from './privacy/personal-data';
export * from './privacy/idempotency-data.section';
