import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentQueries } from '@app/booking';
import { UserRole } from '@app/database';

/**
 * Who an announcement reaches, as its batch jobs carry it: criteria, never the ids, so no
 * payload grows with the audience.
 */
export type AudienceCriteria =
  /** Patients with a live appointment starting in [from, to) (ISO instants), of one doctor or any. */
  | { kind: 'patients'; doctorId: string | null; from: string; to: string | null }
  /** Every active user. */
  | { kind: 'everyone' };

/** The recipients of an announcement, counted or read a page at a time; never the sender. */
@Injectable()
export class AnnouncementAudience {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly appointments: AppointmentQueries,
  ) {}

  async isDoctor(userId: string): Promise<boolean> {
    const [doctor] = await this.db.query(`SELECT 1 FROM users WHERE id = $1 AND role = $2`, [
      userId,
      UserRole.Doctor,
    ]);
    return Boolean(doctor);
  }

  async count(audience: AudienceCriteria, senderId: string): Promise<number> {
    if (audience.kind === 'patients') {
      return this.appointments.countLivePatients(patientsOf(audience, senderId));
    }
    const [row]: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM users WHERE deactivated_at IS NULL AND id <> $1`,
      [senderId],
    );
    return row.n;
  }

  /** Up to `limit` recipient ids after `after`, in id order: consecutive pages never overlap. */
  async page(
    audience: AudienceCriteria,
    senderId: string,
    after: string | null,
    limit: number,
  ): Promise<string[]> {
    if (audience.kind === 'patients') {
      return this.appointments.livePatientIds(patientsOf(audience, senderId), { after, limit });
    }
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM users
        WHERE deactivated_at IS NULL AND id <> $1 AND ($2::uuid IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [senderId, after, limit],
    );
    return rows.map((row) => row.id);
  }
}

function patientsOf(audience: AudienceCriteria & { kind: 'patients' }, senderId: string) {
  return {
    doctorId: audience.doctorId ?? undefined,
    from: new Date(audience.from),
    to: audience.to ? new Date(audience.to) : undefined,
    exceptId: senderId,
  };
}
