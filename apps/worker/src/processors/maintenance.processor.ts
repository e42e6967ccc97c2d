import { Processor } from '@nestjs/bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor, WORKER_OPTIONS } from '@app/queues';

@Processor(QueueName.Maintenance, { ...WORKER_OPTIONS, concurrency: 2 })
export class MaintenanceProcessor extends QueueProcessor {
  constructor(registry: JobHandlerRegistry) {
    super(registry);
  }
}
