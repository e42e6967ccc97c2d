import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { UserRole, WebhookEndpoint } from '@app/database';
import { WebhookNotFoundError } from './webhook.errors';
import { newWebhookSecret, WebhookSecrets } from './webhook-secrets';
import { WebhookTarget } from './webhook-target';

/** After a rotation the old secret keeps signing this long, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export interface CreateWebhookInput {
  url: string;
  events: string[];
  description?: string;
}

/** Absent or null: unchanged (description: null clears it). */
export interface UpdateWebhookInput {
  url?: string | null;
  events?: string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

/** An endpoint with its secret in clear: only the answers to create and rotate carry it. */
export type EndpointWithSecret = WebhookEndpoint & { secret: string };

/**
 * The webhook endpoints a user may manage: a doctor theirs, an admin all. Scoped in the
 * query, so someone else's endpoint is simply not found (404).
 */
export function endpointsVisibleTo(
  actor: AuthUser,
  extra: FindOptionsWhere<WebhookEndpoint> = {},
): FindOptionsWhere<WebhookEndpoint> {
  return actor.role === UserRole.Admin ? extra : { ...extra, ownerId: actor.id };
}

@Injectable()
export class WebhookEndpoints {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: WebhookSecrets,
    private readonly target: WebhookTarget,
  ) {}

  async create(actor: AuthUser, input: CreateWebhookInput): Promise<EndpointWithSecret> {
    await this.target.check(input.url);
    const secret = newWebhookSecret();
    const repo = this.db.getRepository(WebhookEndpoint);
    const saved = await repo.save(
      repo.create({
        ownerId: actor.id,
        url: input.url,
        events: unique(input.events),
        description: input.description ?? null,
        secretCiphertext: this.secrets.seal(secret),
      }),
    );
    return { ...(await this.get(actor, saved.id)), secret };
  }

  async list(
    actor: AuthUser,
    page: { page: number; limit: number },
  ): Promise<[WebhookEndpoint[], number]> {
    return this.db.getRepository(WebhookEndpoint).findAndCount({
      where: endpointsVisibleTo(actor),
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page.page - 1) * page.limit,
      take: page.limit,
    });
  }

  async get(actor: AuthUser, id: string, manager: EntityManager = this.db.manager) {
    const endpoint = await manager
      .getRepository(WebhookEndpoint)
      .findOne({ where: endpointsVisibleTo(actor, { id }) });
    if (!endpoint) throw new WebhookNotFoundError();
    return endpoint;
  }

  async update(actor: AuthUser, id: string, input: UpdateWebhookInput): Promise<WebhookEndpoint> {
    if (input.url != null) await this.target.check(input.url);
    await this.get(actor, id);
    const changes: Partial<WebhookEndpoint> = {};
    if (input.url != null) changes.url = input.url;
    if (input.events != null) changes.events = unique(input.events);
    if (input.description !== undefined) changes.description = input.description;
    if (input.enabled != null) {
      changes.enabled = input.enabled;
      // Switched on again by a person: the failure clock starts afresh.
      if (input.enabled) Object.assign(changes, { failingSince: null, autoDisabledAt: null });
    }
    if (Object.keys(changes).length > 0) {
      await this.db.getRepository(WebhookEndpoint).update({ id }, changes);
    }
    return this.get(actor, id);
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    const result = await this.db
      .getRepository(WebhookEndpoint)
      .delete(endpointsVisibleTo(actor, { id }));
    if (!result.affected) throw new WebhookNotFoundError();
  }

  /** A new secret; the current one keeps signing for 24 h beside it. */
  async rotateSecret(actor: AuthUser, id: string): Promise<EndpointWithSecret> {
    const secret = newWebhookSecret();
    await this.db.transaction(async (manager) => {
      const repo = manager.getRepository(WebhookEndpoint);
      const current = await repo.findOne({
        where: endpointsVisibleTo(actor, { id }),
        select: { id: true, secretCiphertext: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw new WebhookNotFoundError();
      await repo.update(
        { id },
        {
          secretCiphertext: this.secrets.seal(secret),
          previousSecretCiphertext: current.secretCiphertext,
          previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS),
        },
      );
    });
    return { ...(await this.get(actor, id)), secret };
  }
}

function unique(events: string[]): string[] {
  return [...new Set(events)];
}
