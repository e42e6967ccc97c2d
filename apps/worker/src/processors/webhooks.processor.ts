import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { JobHandlerRegistry, QueueName, QueueProcessor, WORKER_OPTIONS } from '@app/queues';
import { EndpointSlots, webhookDeliverJob, type WebhookDeliverData } from '@app/webhooks';

/**
 * High concurrency, so many endpoints are served at once; each endpoint is limited to
 * WEBHOOK_ENDPOINT_CONCURRENCY deliveries in flight (across workers), so a dead one that
 * makes every attempt wait 10 s holds only that many of these slots.
 */
const CONCURRENCY = 64;
/** How long a delivery whose endpoint is busy waits before it asks again. */
const BUSY_DELAY_MS = 500;

@Processor(QueueName.Webhooks, { ...WORKER_OPTIONS, concurrency: CONCURRENCY })
export class WebhooksProcessor extends QueueProcessor {
  private redisDown = false;

  constructor(
    registry: JobHandlerRegistry,
    private readonly slots: EndpointSlots,
  ) {
    super(registry);
  }

  override async process(job: Job, token?: string): Promise<unknown> {
    if (job.name !== webhookDeliverJob.name || !job.id) return super.process(job);
    const { endpointId } = job.data as WebhookDeliverData;
    if (!(await this.slots.acquire(endpointId, job.id))) {
      // Back to the delayed set without using up a try: BullMQ's documented way to wait.
      await job.moveToDelayed(Date.now() + BUSY_DELAY_MS + Math.random() * BUSY_DELAY_MS, token);
      throw new DelayedError();
    }
    try {
      return await super.process(job);
    } finally {
      await this.slots.release(endpointId, job.id);
    }
  }

  /** Redis gone: said once, not on every reconnect (the outbox keeps the work meanwhile). */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    if (!this.redisDown) this.logger.warn(`Webhooks worker: ${error.message}`);
    this.redisDown = true;
  }

  @OnWorkerEvent('ready')
  onReady(): void {
    this.redisDown = false;
  }
}
