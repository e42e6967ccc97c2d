import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAction, type AuditContext, AuditResource, AuditTrail } from '@app/core';
import { AuditOutcome } from '@app/database';
import { loadSubject } from './data-subject';
import { PERSONAL_DATA_SECTIONS, type PersonalDataSections } from './personal-data-sections';

/** The export: one key per section, the access log, and when it was made. */
export type PersonalDataExport = Record<string, unknown> & {
  exportedAt: string;
  accessLog: {
    id: string;
    actorId: string | null;
    action: string;
    resourceType: string;
    resourceId: string | null;
    outcome: string;
    at: Date;
  }[];
};

/**
 * Everything stored about the caller (GDPR art. 15 and 20), read in one snapshot so the
 * sections agree with each other. Secrets are never part of it: no password or token
 * hashes, no one-time links. The export itself is audited.
 */
@Injectable()
export class ExportPersonalData {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_SECTIONS) private readonly sections: PersonalDataSections,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(userId: string, audit: AuditContext): Promise<PersonalDataExport> {
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      const subject = await loadSubject(manager, userId);
      const result: Record<string, unknown> = { exportedAt: new Date().toISOString() };
      const recordIds: string[] = [];
      for (const section of this.sections) {
        if (!section.name || !section.export) continue;
        const part = await section.export(manager, subject);
        result[section.name] = part.data;
        recordIds.push(...(part.recordIds ?? []));
      }
      const log = await this.auditTrail.about(manager, recordIds);
      await this.auditTrail.record(manager, {
        ...audit,
        action: AuditAction.AccountExport,
        resourceType: AuditResource.User,
        resourceId: userId,
        outcome: AuditOutcome.Allowed,
      });
      return {
        ...result,
        exportedAt: result.exportedAt as string,
        accessLog: log.map((row) => ({
          id: row.id,
          actorId: row.actorId,
          action: row.action,
          resourceType: row.resourceType,
          resourceId: row.resourceId,
          outcome: row.outcome,
          at: row.at,
        })),
      };
    });
  }
}
