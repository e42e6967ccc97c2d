import { Module } from '@nestjs/common';
import { IdempotencyRecords } from './idempotency-records';

/** Storage of Idempotency-Key claims and answers, for the api's idempotency interceptor. */
@Module({
  providers: [IdempotencyRecords],
  exports: [IdempotencyRecords],
})
export class IdempotencyModule {}
