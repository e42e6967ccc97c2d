import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JobProducer } from './job-producer';
import { QueueName } from './queue-names';
import { BullConnection } from './redis-connection';
import { RedisService } from './redis.service';
import { WorkItems } from './work/work-items';

const QUEUES = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

/** The connections to Redis, for the app and for BullMQ's own configuration. */
@Module({ providers: [RedisService, BullConnection], exports: [RedisService, BullConnection] })
class RedisModule {}

@Global()
@Module({
  imports: [
    RedisModule,
    BullModule.forRootAsync({
      imports: [RedisModule],
      inject: [AppConfig, BullConnection],
      useFactory: (config: AppConfig, connection: BullConnection) => ({
        prefix: config.redis.bullPrefix,
        connection: connection.options(),
      }),
    }),
    ...QUEUES,
  ],
  providers: [JobProducer, WorkItems],
  exports: [JobProducer, RedisModule, WorkItems, ...QUEUES],
})
export class QueuesModule {}
