import { Injectable } from '@nestjs/common';
import { EmailDelivery } from '@app/notifications';
import { JobHandler, JobName, JobPayloads } from '@app/queues';

@Injectable()
export class NotificationEmailHandler {
  constructor(private readonly email: EmailDelivery) {}

  @JobHandler(JobName.NotificationEmail)
  async send({ notificationId }: JobPayloads[JobName.NotificationEmail]): Promise<string> {
    return this.email.send(notificationId);
  }
}
