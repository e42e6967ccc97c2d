export * from './idempotency-records';
export * from './idempotency.module';
