import { Global, Module } from '@nestjs/common';
import { AuditTrailModule } from '@app/core';
import { WorkController } from '../work/work.controller';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';

@Global()
@Module({
  imports: [AuditTrailModule],
  controllers: [AuditController, WorkController],
  providers: [AuditInterceptor],
  // Global: the interceptor is built in the module of every audited controller.
  exports: [AuditTrailModule, AuditInterceptor],
})
export class AuditModule {}
