import { Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail';

/** The audit trail, for use cases that audit their changes and the api's audit interceptor. */
@Module({
  providers: [AuditTrail],
  exports: [AuditTrail],
})
export class AuditTrailModule {}
