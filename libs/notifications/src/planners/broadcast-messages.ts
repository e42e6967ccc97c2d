import { Injectable } from '@nestjs/common';
import { WaitlistService } from '@app/booking';
import type { NotificationDraft } from '../message';
import { BOTH, doctorName, NotificationReads, personName, zoneOf } from './notification-reads';

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
      if (!patient || patient.erasedAt) return [];
      const m = this.reads.messagesFor(patient);
      const doctorTitle = doctorName(m, doctor);
      const url = `${this.reads.config.frontendUrl}/doctors/${doctor.id}/book?startsAt=${encodeURIComponent(payload.startsAt)}`;
      return [
        {
          userId: patient.id,
          type: 'waitlist.slot_available',
          dedupeKey: `${eventId}:${entry.id}`,
          channels: BOTH,
          content: {
            locale: m.locale,
            subject: m.t('waitlist.slotAvailable.subject', { doctor: doctorTitle }),
            heading: m.t('waitlist.slotAvailable.heading'),
            paragraphs: [m.t('waitlist.slotAvailable.body', { doctor: doctorTitle })],
            details: [
              {
                label: m.t('label.when'),
                value: m.when(payload.startsAt, zoneOf(patient, doctor.timezone)),
              },
            ],
            action: { label: m.t('waitlist.slotAvailable.action'), url },
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
    const [sender, recipients] = await Promise.all([
      this.reads.person(payload.senderId),
      this.reads.people(payload.recipientIds),
    ]);
    // The sender's words stay as written; only the frame is in each recipient's language.
    return payload.recipientIds.map((userId) => {
      const m = this.reads.messagesFor(recipients.get(userId) ?? {});
      return {
        userId,
        type: 'announcement',
        dedupeKey: `${key}:${userId}`,
        channels: BOTH,
        content: {
          locale: m.locale,
          subject: payload.title,
          heading: payload.title,
          paragraphs: payload.body.split(/\n{2,}/),
          details: sender ? [{ label: m.t('label.from'), value: personName(m, sender) }] : [],
        },
        data: { senderId: payload.senderId },
      };
    });
  }
}
