import { MailerModule } from '@nestjs-modules/mailer';
import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { AppConfig } from '@app/config';
import { AnnouncementAudience } from './announcement-audience';
import { EmailDelivery } from './email-delivery';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationPlanner } from './notification-planner';
import { NotificationSubscriber } from './notification.subscriber';
import { ReminderScheduler } from './reminder-scheduler.subscriber';
import { AccountMessages } from './planners/account-messages';
import { AppointmentMessages } from './planners/appointment-messages';
import { BroadcastMessages } from './planners/broadcast-messages';
import { NotificationReads } from './planners/notification-reads';
import { SeriesMessages } from './planners/series-messages';
import { PaymentMessages } from './planners/payment-messages';
import { Translator } from './i18n/translator';
import { TemplateRenderer } from './template-renderer';

/** The worker's side of notifications: planning, storing and sending them. */
@Module({
  imports: [
    BookingModule,
    MailerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        transport: config.mail.smtpUrl,
        defaults: { from: config.mail.from },
      }),
    }),
  ],
  providers: [
    AnnouncementAudience,
    Translator,
    TemplateRenderer,
    EmailDelivery,
    NotificationPlanner,
    NotificationReads,
    AccountMessages,
    AppointmentMessages,
    PaymentMessages,
    BroadcastMessages,
    SeriesMessages,
    NotificationDispatcher,
    NotificationSubscriber,
    ReminderScheduler,
  ],
  exports: [AnnouncementAudience, EmailDelivery, NotificationPlanner, NotificationDispatcher],
})
export class NotificationDeliveryModule {}
