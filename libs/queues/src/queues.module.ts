import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JobProducer } from './job-producer';
import { QueueName } from './queue-names';
import { RedisService } from './redis.service';
import { WorkItems } from './work/work-items';

const QUEUES = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: config.redis.queuePrefix,
        connection: { url: config.redis.url, maxRetriesPerRequest: null },
      }),
    }),
    ...QUEUES,
  ],
  providers: [JobProducer, RedisService, WorkItems],
  exports: [JobProducer, RedisService, WorkItems, ...QUEUES],
})
export class QueuesModule {}
