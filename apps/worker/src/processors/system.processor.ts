import { Processor } from '@nestjs/bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor, WORKER_OPTIONS } from '@app/queues';

@Processor(QueueName.System, { ...WORKER_OPTIONS, concurrency: 2 })
export class SystemProcessor extends QueueProcessor {
  constructor(registry: JobHandlerRegistry) {
    super(registry);
  }
}
