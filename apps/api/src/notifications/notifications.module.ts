import { Module } from '@nestjs/common';
import { InAppNotificationsModule } from '@app/notifications';
import { NotificationStreams } from './notification-streams';
import { NotificationsController } from './notifications.controller';

@Module({
  imports: [InAppNotificationsModule],
  controllers: [NotificationsController],
  providers: [NotificationStreams],
})
export class NotificationsModule {}
