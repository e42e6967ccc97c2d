import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type DataSubject, ERASED_VALUE, type PersonalDataSection } from '@app/core';
import { DeliveryStatus, Notification, NotificationChannel } from '@app/database';

/** Shorter names are left alone: replacing "Li" inside other people's messages does harm. */
const MIN_NEEDLE_LENGTH = 3;

/**
 * The subject's notifications (both channels), and the mentions of them in the notifications
 * of the people they had appointments with ("New booking by Ada Lovelace").
 */
@Injectable()
export class NotificationDataSection implements PersonalDataSection {
  readonly name = 'notifications';

  async export(manager: EntityManager, subject: DataSubject) {
    const rows = await manager.find(Notification, {
      where: { userId: subject.id },
      order: { createdAt: 'ASC' },
    });
    return {
      data: rows.map((n) => ({
        id: n.id,
        channel: n.channel,
        type: n.type,
        title: n.title,
        body: n.body,
        // An email row's data is its rendering input, with a one-time link until it is sent.
        data: n.channel === NotificationChannel.InApp ? n.data : {},
        status: n.status,
        sentAt: n.sentAt,
        readAt: n.readAt,
        createdAt: n.createdAt,
      })),
    };
  }

  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    // Their own: the rows stay (delivery history) without their words; nothing more is sent.
    await manager.query(
      `UPDATE notifications SET title = $2, body = '', data = '{}'::jsonb,
         status = CASE WHEN status = $3 THEN $4::delivery_status ELSE status END,
         last_error = CASE WHEN status = $3 THEN 'recipient erased' ELSE last_error END
       WHERE user_id = $1`,
      [subject.id, ERASED_VALUE, DeliveryStatus.Pending, DeliveryStatus.Failed],
    );
    const needles = [
      `${subject.firstName} ${subject.lastName}`,
      subject.email,
      subject.lastName,
    ].filter((n, i, all) => n.length >= MIN_NEEDLE_LENGTH && all.indexOf(n) === i);
    if (needles.length === 0) return;
    // Params: $1 subject, $2 placeholder, then each needle as text and as JSON-escaped text.
    const params: string[] = [subject.id, ERASED_VALUE];
    const text: string[] = [];
    const json: string[] = [];
    for (const needle of needles) {
      params.push(needle, JSON.stringify(needle).slice(1, -1));
      text.push(`$${params.length - 1}`);
      json.push(`$${params.length}`);
    }
    const replaced = (column: string, ps: string[]) =>
      ps.reduce((expression, p) => `replace(${expression}, ${p}, $2)`, column);
    const mentions = (column: string, ps: string[]) =>
      ps.map((p) => `strpos(${column}, ${p}) > 0`).join(' OR ');
    await manager.query(
      `UPDATE notifications SET
         title = ${replaced('title', text)},
         body = ${replaced('body', text)},
         -- Health data in a doctor's unsent booking email leaves with the name.
         data = (${replaced('data::text', json)})::jsonb #- '{content,intake}'
       WHERE user_id IN (SELECT doctor_id FROM appointments WHERE patient_id = $1
                         UNION SELECT patient_id FROM appointments WHERE doctor_id = $1)
         AND user_id <> $1
         AND (${mentions('title', text)} OR ${mentions('body', text)} OR ${mentions('data::text', json)})`,
      params,
    );
  }
}
