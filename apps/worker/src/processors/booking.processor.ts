import { Processor } from '@nestjs/bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor } from '@app/queues';

@Processor(QueueName.Booking, { concurrency: 10 })
export class BookingProcessor extends QueueProcessor {
  constructor(registry: JobHandlerRegistry) {
    super(registry);
  }
}
