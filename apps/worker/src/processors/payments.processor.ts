import { Processor } from '@nestjs/bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor } from '@app/queues';

@Processor(QueueName.Payments, { concurrency: 10 })
export class PaymentsProcessor extends QueueProcessor {
  constructor(registry: JobHandlerRegistry) {
    super(registry);
  }
}
