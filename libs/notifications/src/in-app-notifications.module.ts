import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { AnnouncementAudience } from './announcement-audience';
import { LiveNotificationFeed } from './live-notification-feed';
import { NotificationInbox } from './notification-inbox';
import { SendAnnouncementUseCase } from './send-announcement.use-case';
import { StreamTickets } from './stream-tickets';

const PROVIDERS = [
  NotificationInbox,
  StreamTickets,
  LiveNotificationFeed,
  AnnouncementAudience,
  SendAnnouncementUseCase,
];

/** The api's side of notifications: the inbox, the live feed and announcements. */
@Module({
  imports: [BookingModule],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class InAppNotificationsModule {}
