import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ExpireHold } from '@app/booking';
import { NotificationDispatcher, NotificationPlanner } from '@app/notifications';
import { JobHandler, JobName, JobPayloads, JobProducer, QueueName } from '@app/queues';

const SWEEP_EVERY_MS = 60_000;

@Injectable()
export class BookingHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(BookingHandlers.name);

  constructor(
    private readonly expireHold: ExpireHold,
    private readonly planner: NotificationPlanner,
    private readonly dispatcher: NotificationDispatcher,
    private readonly producer: JobProducer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // One scheduler in Redis however many workers run: the sweep runs once a minute in total.
    await this.producer
      .queue(QueueName.Booking)
      .upsertJobScheduler(
        'hold-sweep',
        { every: SWEEP_EVERY_MS },
        { name: JobName.HoldSweep, data: {} },
      )
      .catch((error: Error) => this.logger.warn(`Hold sweep schedule not set: ${error.message}`));
  }

  @JobHandler(JobName.HoldExpire)
  async expire({ appointmentId }: JobPayloads[JobName.HoldExpire]): Promise<boolean> {
    return this.expireHold.execute(appointmentId);
  }

  @JobHandler(JobName.HoldSweep)
  async sweep(): Promise<number> {
    return this.expireHold.sweep();
  }

  /** Sends nothing when the appointment is no longer confirmed or has moved. */
  @JobHandler(JobName.Reminder)
  async remind({ appointmentId, offsetMinutes }: JobPayloads[JobName.Reminder]): Promise<number> {
    const drafts = await this.planner.reminder(appointmentId, offsetMinutes);
    return this.dispatcher.dispatch(null, drafts);
  }
}
