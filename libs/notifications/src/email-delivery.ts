import { MailerService } from '@nestjs-modules/mailer';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveryStatus, Notification, User } from '@app/database';
import { calendarAttachment } from './calendar';
import type { CalendarInvite, MessageContent } from './message';
import { name } from './planners/notification-reads';
import { TemplateRenderer } from './template-renderer';

const EMAIL_ADDRESS = /[^\s<>()[\]@,;:"']+@[^\s<>()[\]@,;:"']+/g;

/**
 * Sends one email notification at most once: a sent row is never sent again, and the
 * X-Notification-Id header lets a reader spot the one duplicate a crash could cause.
 */
@Injectable()
export class EmailDelivery {
  private readonly logger = new Logger(EmailDelivery.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mailer: MailerService,
    private readonly renderer: TemplateRenderer,
  ) {}

  async send(notificationId: string): Promise<'sent' | 'skipped'> {
    const notifications = this.db.getRepository(Notification);
    const notification = await notifications.findOne({ where: { id: notificationId } });
    if (!notification || notification.status === DeliveryStatus.Sent) return 'skipped';
    const user = await this.db.getRepository(User).findOne({ where: { id: notification.userId } });
    if (!user || user.deactivatedAt) {
      await notifications.update(
        { id: notificationId },
        { status: DeliveryStatus.Failed, lastError: 'recipient unavailable' },
      );
      return 'skipped';
    }
    const { content, calendar } = notification.data as {
      content: MessageContent;
      calendar: CalendarInvite | null;
    };
    const rendered = this.renderer.render(content, notification.id);
    try {
      await this.mailer.sendMail({
        to: user.email,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        headers: { 'X-Notification-Id': notification.id },
        // Stable across retries: mailbox providers drop a second copy with the same Message-ID.
        messageId: `<${notification.id}@doctor-appointment>`,
        attachments: calendar
          ? [calendarAttachment(calendar, { name: name(user), email: user.email }, content.locale)]
          : [],
      });
    } catch (error) {
      // SMTP replies quote the refused address: keep it out of the job record and the logs.
      const reason = (error instanceof Error ? error.message : String(error)).replace(
        EMAIL_ADDRESS,
        'recipient',
      );
      await notifications.increment({ id: notificationId }, 'attempts', 1);
      await notifications.update({ id: notificationId }, { lastError: reason });
      throw new Error(reason);
    }
    // A sent link's token is of no use to us, nor the intake answers: neither is kept (they
    // live in the inbox).
    await this.db.query(
      `UPDATE notifications SET status = $2, sent_at = now(), attempts = attempts + 1,
         last_error = NULL, data = data #- '{content,action}' #- '{content,intake}' WHERE id = $1`,
      [notificationId, DeliveryStatus.Sent],
    );
    this.logger.log({ msg: 'Email sent', notificationId, type: notification.type });
    return 'sent';
  }

  /** Gives an email up: its row says so (an admin's retry of the work still sends it). */
  async markFailed(notificationId: string, reason: string): Promise<void> {
    await this.db
      .getRepository(Notification)
      .update(
        { id: notificationId, status: DeliveryStatus.Pending },
        { status: DeliveryStatus.Failed, lastError: reason },
      );
  }
}
