import { Injectable } from '@nestjs/common';
import type { MessageKey } from '../i18n/translator';
import type { NotificationDraft } from '../message';

/** The message keys of one account email. */
export interface AccountEmailKeys {
  subject: MessageKey;
  heading: MessageKey;
  paragraphs: MessageKey[];
  action: MessageKey;
}
import { NotificationReads } from './notification-reads';

/** Emails of account flows: verification, password reset, doctor invitation. */
@Injectable()
export class AccountMessages {
  constructor(private readonly reads: NotificationReads) {}

  async accountEmail(
    eventId: string,
    payload: { userId: string; token?: string },
    page: string,
    keys: AccountEmailKeys,
  ): Promise<NotificationDraft[]> {
    // Without its token (scrubbed once the email was planned) the event has nothing left to send.
    if (!payload.token) return [];
    const user = await this.reads.person(payload.userId);
    if (!user || user.erasedAt) return [];
    const m = this.reads.messagesFor(user);
    const url = `${this.reads.config.frontendUrl}/${page}?token=${encodeURIComponent(payload.token)}`;
    return [
      {
        userId: user.id,
        type: page.replace('-', '_'),
        dedupeKey: `${eventId}:${user.id}`,
        channels: ['email'],
        content: {
          locale: m.locale,
          subject: m.t(keys.subject),
          heading: m.t(keys.heading),
          paragraphs: [
            m.t('common.hello', { firstName: user.firstName }),
            ...keys.paragraphs.map((key) => m.t(key)),
          ],
          action: { label: m.t(keys.action), url },
        },
        data: {},
      },
    ];
  }
}
