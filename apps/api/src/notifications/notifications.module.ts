import { Module } from '@nestjs/common';
import { InAppNotificationsModule } from '@app/notifications';
import { HealthModule } from '../health/health.module';
import { NotificationStreams } from './notification-streams';
import { NotificationsController } from './notifications.controller';

@Module({
  imports: [InAppNotificationsModule, HealthModule],
  controllers: [NotificationsController],
  providers: [NotificationStreams],
})
export class NotificationsModule {}
