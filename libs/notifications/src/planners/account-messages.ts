import { Injectable } from '@nestjs/common';
import type { NotificationDraft } from '../message';
import { NotificationReads } from './notification-reads';

/** Emails of account flows: verification, password reset, doctor invitation. */
@Injectable()
export class AccountMessages {
  constructor(private readonly reads: NotificationReads) {}

  async accountEmail(
    eventId: string,
    event: { payload: { userId: string; token: string } },
    page: string,
    text: { subject: string; heading: string; paragraphs: string[]; label: string },
  ): Promise<NotificationDraft[]> {
    const user = await this.reads.person(event.payload.userId);
    if (!user) return [];
    const url = `${this.reads.config.publicUrl}/${page}?token=${encodeURIComponent(event.payload.token)}`;
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
