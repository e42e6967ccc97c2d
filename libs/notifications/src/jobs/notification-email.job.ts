import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { EmailDelivery } from '../email-delivery';

export interface NotificationEmailData {
  notificationId: string;
}

/** Recorded with the notification row it sends. */
export const notificationEmailJob = defineJob<NotificationEmailData>({
  name: 'notification.email',
  queue: QueueName.Notifications,
  id: ({ notificationId }) => `email-${notificationId}`,
});

@Injectable()
export class NotificationEmailHandler extends JobHandler<NotificationEmailData> {
  readonly job = notificationEmailJob;

  constructor(private readonly email: EmailDelivery) {
    super();
  }

  run({ notificationId }: NotificationEmailData): Promise<string> {
    return this.email.send(notificationId);
  }

  override async giveUp({ notificationId }: NotificationEmailData, reason: string): Promise<void> {
    await this.email.markFailed(notificationId, reason);
  }
}
