import { Injectable } from '@nestjs/common';
import type { NotificationDraft } from '../message';
import { NotificationReads } from './notification-reads';

/** Emails of account flows: verification, password reset, doctor invitation. */
@Injectable()
export class AccountMessages {
  constructor(private readonly reads: NotificationReads) {}

  async accountEmail(
    eventId: string,
    payload: { userId: string; token?: string },
    page: string,
    text: { subject: string; heading: string; paragraphs: string[]; label: string },
  ): Promise<NotificationDraft[]> {
    // Without its token (scrubbed once the email was planned) the event has nothing left to send.
    if (!payload.token) return [];
    const user = await this.reads.person(payload.userId);
    if (!user) return [];
    const url = `${this.reads.config.frontendUrl}/${page}?token=${encodeURIComponent(payload.token)}`;
    return [
      {
        userId: user.id,
        type: page.replace('-', '_'),
        dedupeKey: `${eventId}:${user.id}`,
        channels: ['email'],
        content: {
          subject: text.subject,
          heading: text.heading,
          paragraphs: [`Hello ${user.firstName},`, ...text.paragraphs],
          action: { label: text.label, url },
        },
        data: {},
      },
    ];
  }
}
