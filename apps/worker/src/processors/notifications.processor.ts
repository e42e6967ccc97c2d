import { Processor } from '@nestjs/bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor } from '@app/queues';

@Processor(QueueName.Notifications, { concurrency: 10 })
export class NotificationsProcessor extends QueueProcessor {
  constructor(registry: JobHandlerRegistry) {
    super(registry);
  }
}
