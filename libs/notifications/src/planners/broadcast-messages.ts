import { Injectable } from '@nestjs/common';
import { WaitlistService } from '@app/booking';
import { formatWhen } from '../format';
import type { NotificationDraft } from '../message';
import { BOTH, doctorName, name, NotificationReads } from './notification-reads';

/** A message by hand to some of its recipients (one page, or a legacy event's all). */
export interface AnnouncementMessage {
  senderId: string;
  recipientIds: string[];
  title: string;
  body: string;
}

/** Messages to many: waitlist alerts and announcements. */
@Injectable()
export class BroadcastMessages {
  constructor(
    private readonly reads: NotificationReads,
    private readonly waitlist: WaitlistService,
  ) {}

  async slotFreed(
    eventId: string,
    payload: { doctorId: string; startsAt: string; endsAt: string },
  ): Promise<NotificationDraft[]> {
    const doctor = await this.reads.person(payload.doctorId);
    if (!doctor) return [];
    const entries = await this.waitlist.claimMatches(
      payload.doctorId,
      payload.startsAt,
      payload.endsAt,
    );
    if (entries.length === 0) return [];
    const patients = await this.reads.people(entries.map((e) => e.patientId));
    return entries.flatMap((entry) => {
      const patient = patients.get(entry.patientId);
      if (!patient) return [];
      const url = `${this.reads.config.frontendUrl}/doctors/${doctor.id}/book?startsAt=${encodeURIComponent(payload.startsAt)}`;
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

  /** `key` (an announcement or a legacy event id) keys each recipient's notification once. */
  async announcement(key: string, payload: AnnouncementMessage): Promise<NotificationDraft[]> {
    if (payload.recipientIds.length === 0) return [];
    const sender = await this.reads.person(payload.senderId);
    return payload.recipientIds.map((userId) => ({
      userId,
      type: 'announcement',
      dedupeKey: `${key}:${userId}`,
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
