import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Appointment, AppointmentStatus } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { applyTransition } from './appointment-transitions';

/** Releases unpaid holds whose deadline passed; a no-op for anything else. */
@Injectable()
export class ExpireHold {
  private readonly logger = new Logger(ExpireHold.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(appointmentId: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const appointment = await manager.getRepository(Appointment).findOne({
        where: { id: appointmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (
        !appointment ||
        appointment.status !== AppointmentStatus.PendingPayment ||
        !appointment.holdExpiresAt ||
        appointment.holdExpiresAt.getTime() > Date.now()
      ) {
        return false;
      }
      await applyTransition(
        manager,
        appointment,
        AppointmentStatus.Expired,
        null,
        'payment hold expired',
      );
      await recordEvents(manager, [
        { type: EventType.HoldExpired, payload: { appointmentId } },
        {
          type: EventType.SlotFreed,
          payload: {
            doctorId: appointment.doctorId,
            startsAt: appointment.startsAt.toISOString(),
            endsAt: appointment.endsAt.toISOString(),
          },
        },
      ]);
      return true;
    });
  }

  /** Safety net behind the per-appointment delayed jobs. */
  async sweep(limit = 500): Promise<number> {
    const due: { id: string }[] = await this.db.query(
      `SELECT id FROM appointments WHERE status = $1 AND hold_expires_at <= now()
        ORDER BY hold_expires_at LIMIT $2`,
      [AppointmentStatus.PendingPayment, limit],
    );
    let expired = 0;
    for (const { id } of due) if (await this.execute(id)) expired += 1;
    if (expired > 0) this.logger.log(`Expired ${expired} unpaid holds`);
    return expired;
  }
}
