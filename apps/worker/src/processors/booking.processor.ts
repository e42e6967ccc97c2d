import { Processor } from '@nestjs/bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor, WORKER_OPTIONS } from '@app/queues';

@Processor(QueueName.Booking, { ...WORKER_OPTIONS, concurrency: 10 })
export class BookingProcessor extends QueueProcessor {
  constructor(registry: JobHandlerRegistry) {
    super(registry);
  }
}
