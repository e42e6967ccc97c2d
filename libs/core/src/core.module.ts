import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { QueuesModule } from '@app/queues';
import { loggerModule } from './logger';

/** What the api and the worker both stand on: config, logs, PostgreSQL, Redis and queues. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, service: 'api' | 'worker'): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config, service),
        DatabaseModule,
        QueuesModule,
      ],
      exports: [ConfigModule, DatabaseModule, QueuesModule],
    };
  }
}
