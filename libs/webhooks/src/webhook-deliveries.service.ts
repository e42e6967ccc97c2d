import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { WebhookDelivery, WebhookDeliveryStatus } from '@app/database';
import { recordJobs } from '@app/queues';
import { webhookDeliverJob } from './jobs/webhook-deliver.job';
import { WebhookDeliveryNotFoundError } from './webhook.errors';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WEBHOOK_TEST_EVENT } from './webhook-events';
import { webhookBody } from './webhook-payload';

/** The delivery log of an endpoint, and sending again by hand. */
@Injectable()
export class WebhookDeliveries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly endpoints: WebhookEndpoints,
  ) {}

  async list(
    actor: AuthUser,
    endpointId: string,
    page: { page: number; limit: number },
  ): Promise<[WebhookDelivery[], number]> {
    await this.endpoints.get(actor, endpointId);
    return this.db.getRepository(WebhookDelivery).findAndCount({
      where: { endpointId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page.page - 1) * page.limit,
      take: page.limit,
    });
  }

  /** The same event (same `webhook-id` and body) as a new attempt of that delivery. */
  async redeliver(actor: AuthUser, endpointId: string, deliveryId: string) {
    return this.db.transaction(async (manager) => {
      await this.endpoints.get(actor, endpointId, manager);
      const repo = manager.getRepository(WebhookDelivery);
      const delivery = await repo.findOne({
        where: { id: deliveryId, endpointId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!delivery) throw new WebhookDeliveryNotFoundError();
      const round = delivery.round + 1;
      const now = new Date();
      await repo.update(
        { id: delivery.id },
        { round, status: WebhookDeliveryStatus.Pending, nextAttemptAt: now },
      );
      await recordJobs(manager, [
        webhookDeliverJob.with({ deliveryId, endpointId, eventId: delivery.eventId, round }),
      ]);
      return repo.findOneByOrFail({ id: delivery.id });
    });
  }

  /** A `webhook.test` event to this endpoint alone. */
  async sendTest(actor: AuthUser, endpointId: string): Promise<WebhookDelivery> {
    return this.db.transaction(async (manager) => {
      const endpoint = await this.endpoints.get(actor, endpointId, manager);
      const eventId = randomUUID();
      const repo = manager.getRepository(WebhookDelivery);
      const delivery = await repo.save(
        repo.create({
          endpointId,
          eventId,
          type: WEBHOOK_TEST_EVENT,
          payload: { ...webhookBody(WEBHOOK_TEST_EVENT, new Date(), { webhookId: endpoint.id }) },
          nextAttemptAt: new Date(),
        }),
      );
      await recordJobs(manager, [
        webhookDeliverJob.with({ deliveryId: delivery.id, endpointId, eventId, round: 0 }),
      ]);
      return delivery;
    });
  }
}
