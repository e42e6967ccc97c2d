import { Processor } from '@nestjs/bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor, WORKER_OPTIONS } from '@app/queues';

@Processor(QueueName.Payments, { ...WORKER_OPTIONS, concurrency: 10 })
export class PaymentsProcessor extends QueueProcessor {
  constructor(registry: JobHandlerRegistry) {
    super(registry);
  }
}
