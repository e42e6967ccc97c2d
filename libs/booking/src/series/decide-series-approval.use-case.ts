import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import {
  Appointment,
  AppointmentSeries,
  AppointmentStatus,
  AuditOutcome,
  UserRole,
} from '@app/database';
import { DomainError, ErrorCode } from '@app/common';
import { DecideApproval } from '../appointments/decide-approval.use-case';
import { SeriesNotFoundError } from './series.errors';
import { seriesVisibleTo } from './series-scope';

/**
 * The doctor's answer to a whole series of a type that needs approval: every occurrence
 * still pending_approval is approved (or declined) at once, in one transaction.
 */
@Injectable()
export class DecideSeriesApproval {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly approval: DecideApproval,
    private readonly auditTrail: AuditTrail,
  ) {}

  approve(actor: AuthUser, seriesId: string, audit: AuditContext): Promise<AppointmentSeries> {
    return this.decide(actor, seriesId, AppointmentStatus.PendingPayment, audit, (m, a) =>
      this.approval.approveLocked(m, a, actor.id),
    );
  }

  decline(
    actor: AuthUser,
    seriesId: string,
    reason: string | null,
    audit: AuditContext,
  ): Promise<AppointmentSeries> {
    return this.decide(actor, seriesId, AppointmentStatus.Declined, audit, (m, a) =>
      this.approval.declineLocked(m, a, actor.id, reason),
    );
  }

  private decide(
    actor: AuthUser,
    seriesId: string,
    to: AppointmentStatus,
    audit: AuditContext,
    each: (manager: EntityManager, appointment: Appointment) => Promise<unknown>,
  ): Promise<AppointmentSeries> {
    return this.db.transaction(async (manager) => {
      const where = actor.role === UserRole.Patient ? null : seriesVisibleTo(actor, seriesId);
      const series = where
        ? await manager
            .getRepository(AppointmentSeries)
            .findOne({ where, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!series) throw new SeriesNotFoundError();
      const pending = await manager.getRepository(Appointment).find({
        where: { seriesId, status: AppointmentStatus.PendingApproval },
        order: { startsAt: 'ASC', id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      if (pending.length === 0)
        throw new DomainError(
          ErrorCode.INVALID_TRANSITION,
          'No occurrence of this series is waiting for approval',
        );
      for (const appointment of pending) await each(manager, appointment);
      await this.auditTrail.record(manager, {
        ...audit,
        action:
          to === AppointmentStatus.Declined ? AuditAction.SeriesDecline : AuditAction.SeriesApprove,
        resourceType: AuditResource.Series,
        resourceId: seriesId,
        outcome: AuditOutcome.Allowed,
      });
      return series;
    });
  }
}
