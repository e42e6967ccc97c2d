import { Module } from '@nestjs/common';
import { LiveNotificationFeed } from './live-notification-feed';
import { NotificationInbox } from './notification-inbox';
import { SendAnnouncementUseCase } from './send-announcement.use-case';
import { StreamTickets } from './stream-tickets';

const PROVIDERS = [NotificationInbox, StreamTickets, LiveNotificationFeed, SendAnnouncementUseCase];

/** The api's side of notifications: the inbox, the live feed and announcements. */
@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class InAppNotificationsModule {}
