import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, NotFoundError, ValidationError } from '@app/common';
import { LIVE_APPOINTMENT_STATUSES, UserRole } from '@app/database';
import { EventType, recordEvents } from '@app/queues';

export interface AnnouncementSender {
  id: string;
  role: UserRole;
}

export interface AnnouncementInput {
  title: string;
  body: string;
  /** ISO instants bounding the appointments' start: [from, to). */
  from?: string;
  to?: string;
  doctorId?: string;
}

/**
 * A doctor or an admin sends a message by hand. The recipients are fixed now; the worker
 * emails and notifies each of them in the app through the outbox.
 */
@Injectable()
export class SendAnnouncementUseCase {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(
    sender: AnnouncementSender,
    input: AnnouncementInput,
  ): Promise<{ recipients: number }> {
    const from = input.from ? new Date(input.from) : undefined;
    const to = input.to ? new Date(input.to) : undefined;
    if (from && to && from >= to) throw ValidationError.field('to', 'must be later than from');
    const doctorId = this.audienceDoctor(sender, input.doctorId);
    if (doctorId && sender.role === UserRole.Admin) await this.assertDoctor(doctorId);

    const recipientIds = await this.recipients(sender.id, doctorId, from, to);
    if (recipientIds.length > 0) {
      await this.db.transaction((manager) =>
        recordEvents(manager, [
          {
            type: EventType.Announcement,
            payload: { senderId: sender.id, recipientIds, title: input.title, body: input.body },
          },
        ]),
      );
    }
    return { recipients: recipientIds.length };
  }

  /** A doctor speaks to their own patients only; an admin may name any doctor, or none. */
  private audienceDoctor(
    sender: AnnouncementSender,
    doctorId: string | undefined,
  ): string | undefined {
    if (sender.role === UserRole.Admin) return doctorId;
    if (sender.role === UserRole.Doctor && (!doctorId || doctorId === sender.id)) return sender.id;
    throw new DomainError(ErrorCode.FORBIDDEN, 'A doctor may only write to their own patients');
  }

  private async assertDoctor(doctorId: string): Promise<void> {
    const [doctor] = await this.db.query(`SELECT 1 FROM users WHERE id = $1 AND role = $2`, [
      doctorId,
      UserRole.Doctor,
    ]);
    if (!doctor) throw new NotFoundError('Doctor');
  }

  /**
   * With a doctor, or with a range: active patients with a live appointment starting in it
   * (from now on by default). An admin's message without either reaches every active user.
   */
  private async recipients(
    senderId: string,
    doctorId?: string,
    from?: Date,
    to?: Date,
  ): Promise<string[]> {
    const rows: { id: string }[] =
      doctorId || from || to
        ? await this.db.query(
            `SELECT DISTINCT a.patient_id AS id
               FROM appointments a
               JOIN users p ON p.id = a.patient_id AND p.deactivated_at IS NULL
              WHERE ($1::uuid IS NULL OR a.doctor_id = $1)
                AND a.status = ANY($2::appointment_status[])
                AND a.starts_at >= $3
                AND ($4::timestamptz IS NULL OR a.starts_at < $4)
                AND a.patient_id <> $5`,
            [
              doctorId ?? null,
              [...LIVE_APPOINTMENT_STATUSES],
              from ?? new Date(),
              to ?? null,
              senderId,
            ],
          )
        : await this.db.query(`SELECT id FROM users WHERE deactivated_at IS NULL AND id <> $1`, [
            senderId,
          ]);
    return rows.map((row) => row.id);
  }
}
