import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere } from 'typeorm';
import { AuditLog, AuditOutcome } from '@app/database';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  requestId: string | null;
}

export interface AuditFilter {
  resourceId?: string;
  actorId?: string;
  page: number;
  limit: number;
}

/** Append-only: rows are inserted and read, never updated or deleted by the app. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.getRepository(AuditLog).insert(entry);
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
