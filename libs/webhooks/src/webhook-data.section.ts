import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DataSubject, PersonalDataSection } from '@app/core';
import { WebhookEndpoint } from '@app/database';

/**
 * Outgoing webhook endpoints the subject owns, without their secrets. Erasure deletes them
 * (their deliveries go with them), so nothing more is sent on the erased account's behalf.
 */
@Injectable()
export class WebhookDataSection implements PersonalDataSection {
  readonly name = 'webhooks';

  async export(manager: EntityManager, subject: DataSubject) {
    const endpoints = await manager.find(WebhookEndpoint, {
      where: { ownerId: subject.id },
      order: { createdAt: 'ASC' },
    });
    return {
      data: endpoints.map((e) => ({
        id: e.id,
        url: e.url,
        events: e.events,
        description: e.description,
        enabled: e.enabled,
        createdAt: e.createdAt,
      })),
    };
  }

  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    await manager.delete(WebhookEndpoint, { ownerId: subject.id });
  }
}
