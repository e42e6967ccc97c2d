import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { AuditLog, AuditOutcome } from '@app/database';
import { AuditAction, AuditResource } from './audit-actions';

/** Who asked, from where, in which request: what a use case needs to audit its change. */
export interface AuditContext {
  actorId: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEntry extends AuditContext {
  action: AuditAction;
  resourceType: AuditResource;
  resourceId: string | null;
  outcome: AuditOutcome;
}

export interface AuditFilter {
  resourceId?: string;
  actorId?: string;
  page: number;
  limit: number;
}

/** The `audit_logs` table. Append-only: rows are inserted and read, never updated or deleted. */
@Injectable()
export class AuditTrail {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Records in the caller's transaction: a change's row exists exactly when the change
   * commits, and a row that cannot be written undoes the change.
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.getRepository(AuditLog).insert(entry);
  }

  /** Records on its own, for attempts that changed nothing: reads, denials and failures. */
  async recordAlone(entry: AuditEntry): Promise<void> {
    await this.record(this.db.manager, entry);
  }

  /** Every row about these records (reads and changes), oldest first: a person's access log. */
  async about(manager: EntityManager, resourceIds: string[]): Promise<AuditLog[]> {
    if (resourceIds.length === 0) return [];
    return manager.getRepository(AuditLog).find({
      where: { resourceId: In(resourceIds) },
      order: { at: 'ASC', id: 'ASC' },
    });
  }

  async list(filter: AuditFilter): Promise<[AuditLog[], number]> {
    const where: FindOptionsWhere<AuditLog> = {};
    if (filter.resourceId) where.resourceId = filter.resourceId;
    if (filter.actorId) where.actorId = filter.actorId;
    return this.db.getRepository(AuditLog).findAndCount({
      where,
      order: { at: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
  }
}
