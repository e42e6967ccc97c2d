import { Injectable } from '@nestjs/common';
import { DoctorProfile, WaitlistEntry } from '@app/database';
import { formatWhen } from '../format';
import type { NotificationDraft } from '../message';
import { BOTH, doctorName, name, NotificationReads } from './notification-reads';

/** Messages to many: waitlist alerts and announcements. */
@Injectable()
export class BroadcastMessages {
  constructor(private readonly reads: NotificationReads) {}

  async slotFreed(
    eventId: string,
    payload: { doctorId: string; startsAt: string; endsAt: string },
  ): Promise<NotificationDraft[]> {
    const profile = await this.reads.db
      .getRepository(DoctorProfile)
      .findOne({ where: { userId: payload.doctorId } });
    const doctor = await this.reads.person(payload.doctorId);
    if (!profile || !doctor) return [];
    // Waitlist ranges are dates in the doctor's zone; compare in that zone.
    const entries: (WaitlistEntry & { email: string })[] = await this.reads.db.query(
      `SELECT w.id, w.patient_id AS "patientId"
         FROM waitlist_entries w JOIN users u ON u.id = w.patient_id
        WHERE w.doctor_id = $1 AND w.active AND u.deactivated_at IS NULL
          AND w.from_date <= (($3::timestamptz) AT TIME ZONE $4)::date
          AND w.to_date >= (($2::timestamptz) AT TIME ZONE $4)::date`,
      [payload.doctorId, payload.startsAt, payload.endsAt, profile.timezone],
    );
    if (entries.length === 0) return [];
    const patients = await this.reads.people(entries.map((e) => e.patientId));
    await this.reads.db.query(
      'UPDATE waitlist_entries SET last_notified_at = now() WHERE id = ANY($1)',
      [entries.map((e) => e.id)],
    );
    return entries.flatMap((entry) => {
      const patient = patients.get(entry.patientId);
      if (!patient) return [];
      const url = `${this.reads.config.publicUrl}/doctors/${doctor.id}/book?startsAt=${encodeURIComponent(payload.startsAt)}`;
      return [
        {
          userId: patient.id,
          type: 'waitlist.slot_available',
          dedupeKey: `${eventId}:${entry.id}`,
          channels: BOTH,
          content: {
            subject: `A slot with ${doctorName(doctor)} is available`,
            heading: 'A slot just opened up',
            paragraphs: [
              `A time you were waiting for with ${doctorName(doctor)} is free again. The first to book it gets it.`,
            ],
            details: [{ label: 'When', value: formatWhen(payload.startsAt, patient.timezone) }],
            action: { label: 'Book this slot', url },
          },
          data: {
            doctorId: doctor.id,
            startsAt: payload.startsAt,
            endsAt: payload.endsAt,
            waitlistEntryId: entry.id,
          },
        },
      ];
    });
  }

  async announcement(
    eventId: string,
    payload: { senderId: string; recipientIds: string[]; title: string; body: string },
  ): Promise<NotificationDraft[]> {
    const sender = await this.reads.person(payload.senderId);
    return payload.recipientIds.map((userId) => ({
      userId,
      type: 'announcement',
      dedupeKey: `${eventId}:${userId}`,
      channels: BOTH,
      content: {
        subject: payload.title,
        heading: payload.title,
        paragraphs: payload.body.split(/\n{2,}/),
        details: sender ? [{ label: 'From', value: name(sender) }] : [],
      },
      data: { senderId: payload.senderId },
    }));
  }
}
