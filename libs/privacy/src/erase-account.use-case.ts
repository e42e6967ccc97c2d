import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { type AuthUser, CannotEraseSelfError, verifyPassword, WrongPasswordError } from '@app/auth';
import { CancelAppointment } from '@app/booking';
import { AuditAction, type AuditContext, AuditResource, AuditTrail } from '@app/core';
import { Appointment, AuditOutcome, LIVE_APPOINTMENT_STATUSES, UserRole } from '@app/database';
import { loadSubject } from './data-subject';
import { PERSONAL_DATA_SECTIONS, type PersonalDataSections } from './personal-data-sections';

export interface ErasureResult {
  id: string;
  erasedAt: string;
  /** Future appointments the erasure cancelled (refunds and notices follow from the worker). */
  cancelledAppointmentIds: string[];
}

/**
 * Erases an account (GDPR art. 17) in one transaction: its future live appointments are
 * cancelled through the ordinary cancellation (the patient's refund policy, or the doctor's
 * side for a doctor), then every section replaces the person's data in place, the account
 * is deactivated and every token revoked. Appointments and payments stay, pointing at the
 * anonymized account, for the doctors' records and the accounts.
 */
@Injectable()
export class EraseAccount {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_SECTIONS) private readonly sections: PersonalDataSections,
    private readonly cancel: CancelAppointment,
    private readonly auditTrail: AuditTrail,
  ) {}

  /** A patient erases their own account, confirming with their password. */
  async own(actor: AuthUser, password: string, audit: AuditContext): Promise<ErasureResult> {
    const subject = await loadSubject(this.db.manager, actor.id);
    if (!(await verifyPassword(subject.passwordHash, password))) throw new WrongPasswordError();
    return this.erase(actor.id, audit);
  }

  /** An admin erases any account but their own. */
  async byAdmin(admin: AuthUser, userId: string, audit: AuditContext): Promise<ErasureResult> {
    if (admin.id === userId) throw new CannotEraseSelfError();
    return this.erase(userId, audit);
  }

  private erase(userId: string, audit: AuditContext): Promise<ErasureResult> {
    return this.db.transaction(async (manager) => {
      const subject = await loadSubject(manager, userId, true);
      // The account's own side of each appointment cancels it: a doctor's patients are told
      // "cancelled by the doctor" and refunded in full, a patient's refund follows the policy.
      const actor: AuthUser = { id: subject.id, role: subject.role, email: subject.email };
      const cancelled = await this.cancelFuture(manager, actor, audit);
      // Erasing twice only cancels what is left: the placeholders are not scrubbed again.
      if (!subject.erasedAt) {
        for (const section of this.sections) await section.erase?.(manager, subject);
      }
      await this.auditTrail.record(manager, {
        ...audit,
        action: AuditAction.AccountErase,
        resourceType: AuditResource.User,
        resourceId: subject.id,
        outcome: AuditOutcome.Allowed,
      });
      const [{ erased_at: erasedAt }]: { erased_at: Date }[] = await manager.query(
        'SELECT erased_at FROM users WHERE id = $1',
        [subject.id],
      );
      return {
        id: subject.id,
        erasedAt: erasedAt.toISOString(),
        cancelledAppointmentIds: cancelled,
      };
    });
  }

  private async cancelFuture(
    manager: EntityManager,
    actor: AuthUser,
    audit: AuditContext,
  ): Promise<string[]> {
    if (actor.role === UserRole.Admin) return [];
    const side = actor.role === UserRole.Doctor ? 'doctorId' : 'patientId';
    const future = await manager.find(Appointment, {
      where: {
        [side]: actor.id,
        status: In([...LIVE_APPOINTMENT_STATUSES]),
        startsAt: MoreThan(new Date()),
      },
      select: { id: true },
      order: { startsAt: 'ASC' },
    });
    for (const { id } of future) {
      await this.cancel.within(manager, actor, id, null, audit, { ignoreCutoff: true });
    }
    return future.map((a) => a.id);
  }
}
