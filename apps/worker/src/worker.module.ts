import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { CoreModule } from '@app/core';
import { JobHandlerRegistry } from '@app/queues';
import { PROCESSORS } from './processors';
import { SystemHandlers } from './system/system.handlers';
import { WorkerHealthService } from './worker-health.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config, 'worker'), DiscoveryModule],
      providers: [JobHandlerRegistry, WorkerHealthService, SystemHandlers, ...PROCESSORS],
    };
  }
}
