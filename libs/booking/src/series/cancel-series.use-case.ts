import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AuditAction, AuditContext, AuditResource, AuditTrail } from '@app/core';
import {
  Appointment,
  AppointmentSeries,
  AuditOutcome,
  LIVE_APPOINTMENT_STATUSES,
} from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { AppointmentPayments } from '../appointments/appointment-payments';
import { TooLateToChangeError } from '../appointments/booking.errors';
import { CancelAppointment } from '../appointments/cancel-appointment.use-case';
import { SeriesNotFoundError } from './series.errors';
import { seriesVisibleTo } from './series-scope';

export interface CancelSeriesResult {
  series: AppointmentSeries;
  cancelledIds: string[];
  /** Live occurrences a patient may no longer cancel (inside the change cutoff, or started). */
  notCancelledIds: string[];
}

/**
 * Cancels every live occurrence starting at or after `from` (default now) in one
 * transaction, each by the single-appointment rules (refund policy, change cutoff), and
 * tells both sides once.
 */
@Injectable()
export class CancelSeries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cancel: CancelAppointment,
    private readonly payments: AppointmentPayments,
    private readonly auditTrail: AuditTrail,
  ) {}

  async execute(
    actor: AuthUser,
    seriesId: string,
    input: { from?: Date; reason: string | null },
    audit: AuditContext,
  ): Promise<CancelSeriesResult> {
    return this.db.transaction(async (manager) => {
      const series = await manager
        .getRepository(AppointmentSeries)
        .findOne({ where: seriesVisibleTo(actor, seriesId), lock: { mode: 'pessimistic_write' } });
      if (!series) throw new SeriesNotFoundError();
      const now = new Date();
      // Locked in start order, as every other path locks several appointments.
      const live = await manager.getRepository(Appointment).find({
        where: {
          seriesId,
          status: In([...LIVE_APPOINTMENT_STATUSES]),
          startsAt: MoreThanOrEqual(input.from ?? now),
        },
        order: { startsAt: 'ASC', id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const cancelledIds: string[] = [];
      const refundedIds: string[] = [];
      const notCancelledIds: string[] = [];
      for (const appointment of live) {
        try {
          const refund = await this.cancel.cancelLocked(
            manager,
            actor,
            appointment,
            input.reason,
            now,
            seriesId,
          );
          cancelledIds.push(appointment.id);
          if (refund) refundedIds.push(appointment.id);
        } catch (error) {
          if (!(error instanceof TooLateToChangeError)) throw error;
          notCancelledIds.push(appointment.id);
        }
      }
      if (refundedIds.length > 0)
        await this.payments.refundShares(manager, refundedIds, 'series occurrences cancelled');
      if (cancelledIds.length > 0)
        await recordEvents(manager, [
          {
            type: EventType.SeriesCancelled,
            payload: {
              seriesId,
              appointmentIds: cancelledIds,
              cancelledBy: actor.id,
              refundedAppointmentIds: refundedIds,
            },
          },
        ]);
      await this.auditTrail.record(manager, {
        ...audit,
        action: AuditAction.SeriesCancel,
        resourceType: AuditResource.Series,
        resourceId: seriesId,
        outcome: AuditOutcome.Allowed,
      });
      return { series, cancelledIds, notCancelledIds };
    });
  }
}
