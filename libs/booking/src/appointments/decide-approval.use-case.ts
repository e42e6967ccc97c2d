import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { DomainError, ErrorCode } from '@app/common';
import { AppConfig } from '@app/config';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import { Appointment, AppointmentStatus, AuditOutcome } from '@app/database';
import { DomainEvent, EventType, recordWork, WorkItems } from '@app/queues';
import { approvalDeadlineJob } from '../jobs/approval-deadline.job';
import { holdExpireJob } from '../jobs/hold-expire.job';
import { visibleTo } from './appointment-scope';
import { InvalidTransitionError } from './appointment-status';
import { applyTransition, lockAppointment } from './appointment-transitions';

export const DEADLINE_DECLINE_REASON = 'approval deadline passed';

/**
 * The doctor's answer to a booking of a type that needs approval: approve (on to payment,
 * or confirmed when free) or decline (final; the slot frees). Past the deadline the worker
 * declines it. Either way the deadline job is no longer wanted.
 */
@Injectable()
export class DecideApproval {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly auditTrail: AuditTrail,
    private readonly work: WorkItems,
  ) {}

  async approve(actor: AuthUser, appointmentId: string, audit: AuditContext): Promise<Appointment> {
    return this.db.transaction(async (manager) => {
      const appointment = await lockAppointment(manager, visibleTo(actor, { id: appointmentId }));
      await this.approveLocked(manager, appointment, actor.id);
      await this.audit(manager, audit, AuditAction.AppointmentApprove, appointmentId);
      return appointment;
    });
  }

  /** Approves a locked appointment in the caller's transaction (also per series occurrence). */
  async approveLocked(
    manager: EntityManager,
    appointment: Appointment,
    actorId: string,
  ): Promise<void> {
    const appointmentId = appointment.id;
    const free = appointment.feeMinor === 0;
    const to = free ? AppointmentStatus.Confirmed : AppointmentStatus.PendingPayment;
    if (appointment.status !== AppointmentStatus.PendingApproval)
      throw new InvalidTransitionError(appointment.status, to);
    // Past the deadline the request has lapsed, whether or not the worker has got to it.
    if (appointment.approvalDeadlineAt && appointment.approvalDeadlineAt.getTime() <= Date.now())
      throw new DomainError(
        ErrorCode.INVALID_TRANSITION,
        'The approval deadline of this request has passed; it is being declined',
      );
    const holdExpiresAt = free
      ? null
      : new Date(Date.now() + this.config.booking.holdMinutes * 60_000);
    await applyTransition(manager, appointment, to, actorId, 'approved', { holdExpiresAt });
    const events: DomainEvent[] = [
      { type: EventType.AppointmentApproved, payload: { appointmentId } },
    ];
    if (free) events.push({ type: EventType.AppointmentConfirmed, payload: { appointmentId } });
    await recordWork(manager, {
      events,
      jobs: holdExpiresAt ? [holdExpireJob.with({ appointmentId }, holdExpiresAt)] : [],
    });
    await this.work.cancel(manager, [approvalDeadlineJob.with({ appointmentId }).jobId]);
  }

  async decline(
    actor: AuthUser,
    appointmentId: string,
    reason: string | null,
    audit: AuditContext,
  ): Promise<Appointment> {
    return this.db.transaction(async (manager) => {
      const appointment = await lockAppointment(manager, visibleTo(actor, { id: appointmentId }));
      await this.declineLocked(manager, appointment, actor.id, reason);
      await this.audit(manager, audit, AuditAction.AppointmentDecline, appointmentId);
      return appointment;
    });
  }

  /** The worker's decline at the deadline; false when there is nothing (left) to decline. */
  async declineOverdue(appointmentId: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const appointment = await manager.getRepository(Appointment).findOne({
        where: { id: appointmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (
        !appointment ||
        appointment.status !== AppointmentStatus.PendingApproval ||
        !appointment.approvalDeadlineAt ||
        appointment.approvalDeadlineAt.getTime() > Date.now()
      )
        return false;
      await this.declineLocked(manager, appointment, null, DEADLINE_DECLINE_REASON);
      return true;
    });
  }

  /** Safety net behind the per-appointment deadline jobs. */
  async sweep(limit = 500): Promise<number> {
    const due: { id: string }[] = await this.db.query(
      `SELECT id FROM appointments WHERE status = $1 AND approval_deadline_at <= now()
        ORDER BY approval_deadline_at LIMIT $2`,
      [AppointmentStatus.PendingApproval, limit],
    );
    let declined = 0;
    for (const { id } of due) if (await this.declineOverdue(id)) declined += 1;
    return declined;
  }

  /** Declines a locked appointment in the caller's transaction (also per series occurrence). */
  async declineLocked(
    manager: EntityManager,
    appointment: Appointment,
    actorId: string | null,
    reason: string | null,
  ): Promise<void> {
    if (appointment.status !== AppointmentStatus.PendingApproval)
      throw new InvalidTransitionError(appointment.status, AppointmentStatus.Declined);
    await applyTransition(
      manager,
      appointment,
      AppointmentStatus.Declined,
      actorId,
      reason ?? 'declined',
      { declinedAt: new Date(), declineReason: reason },
    );
    await recordWork(manager, {
      events: [
        {
          type: EventType.AppointmentDeclined,
          payload: { appointmentId: appointment.id, declinedBy: actorId },
        },
        {
          type: EventType.SlotFreed,
          payload: {
            doctorId: appointment.doctorId,
            startsAt: appointment.startsAt.toISOString(),
            endsAt: appointment.endsAt.toISOString(),
          },
        },
      ],
    });
    await this.work.cancel(manager, [
      approvalDeadlineJob.with({ appointmentId: appointment.id }).jobId,
    ]);
  }

  private async audit(
    manager: EntityManager,
    audit: AuditContext,
    action: AuditAction,
    appointmentId: string,
  ): Promise<void> {
    await this.auditTrail.record(manager, {
      ...audit,
      action,
      resourceType: AuditResource.Appointment,
      resourceId: appointmentId,
      outcome: AuditOutcome.Allowed,
    });
  }
}
