import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { NotificationDispatcher } from '../notification-dispatcher';
import { NotificationPlanner } from '../notification-planner';

export interface ReminderData {
  appointmentId: string;
  offsetMinutes: number;
  startsAt: string;
}

/** Due `offsetMinutes` before a confirmed appointment starts. */
export const reminderJob = defineJob<ReminderData>({
  name: 'booking.reminder',
  queue: QueueName.Booking,
  id: ({ appointmentId, offsetMinutes }) => `reminder-${offsetMinutes}m-${appointmentId}`,
});

@Injectable()
export class ReminderHandler extends JobHandler<ReminderData> {
  readonly job = reminderJob;

  constructor(
    private readonly planner: NotificationPlanner,
    private readonly dispatcher: NotificationDispatcher,
  ) {
    super();
  }

  /** Sends nothing when the appointment is no longer confirmed or has moved. */
  async run({ appointmentId, offsetMinutes }: ReminderData): Promise<number> {
    const drafts = await this.planner.reminder(appointmentId, offsetMinutes);
    return this.dispatcher.dispatch(null, drafts);
  }
}
