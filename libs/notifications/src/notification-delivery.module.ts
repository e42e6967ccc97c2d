import { MailerModule } from '@nestjs-modules/mailer';
import { Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { EmailDelivery } from './email-delivery';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationPlanner } from './notification-planner';
import { NotificationSubscriber } from './notification.subscriber';
import { AccountMessages } from './planners/account-messages';
import { AppointmentMessages } from './planners/appointment-messages';
import { BroadcastMessages } from './planners/broadcast-messages';
import { NotificationReads } from './planners/notification-reads';
import { PaymentMessages } from './planners/payment-messages';
import { TemplateRenderer } from './template-renderer';

/**
 * Reuses SMTP connections (unless SMTP_URL says `pool=false`): a connection per email costs
 * a handshake each time and keeps an accepted email unrecorded for longer.
 */
export function pooledSmtpUrl(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('pool')) parsed.searchParams.set('pool', 'true');
  return parsed.toString();
}

/** The worker's side of notifications: planning, storing and sending them. */
@Module({
  imports: [
    MailerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        transport: pooledSmtpUrl(config.mail.smtpUrl),
        defaults: { from: config.mail.from },
      }),
    }),
  ],
  providers: [
    TemplateRenderer,
    EmailDelivery,
    NotificationPlanner,
    NotificationReads,
    AccountMessages,
    AppointmentMessages,
    PaymentMessages,
    BroadcastMessages,
    NotificationDispatcher,
    NotificationSubscriber,
  ],
  exports: [EmailDelivery, NotificationPlanner, NotificationDispatcher],
})
export class NotificationDeliveryModule {}
