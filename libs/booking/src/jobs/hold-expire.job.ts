import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { ExpireHold } from '../appointments/expire-hold.use-case';

export interface HoldExpireData {
  appointmentId: string;
}

/** Recorded with the booking, due when its payment hold runs out. */
export const holdExpireJob = defineJob<HoldExpireData>({
  name: 'booking.hold-expire',
  queue: QueueName.Booking,
  id: ({ appointmentId }) => `hold-expire-${appointmentId}`,
});

@Injectable()
export class HoldExpireHandler extends JobHandler<HoldExpireData> {
  readonly job = holdExpireJob;

  constructor(private readonly expireHold: ExpireHold) {
    super();
  }

  /** A no-op once the appointment was paid, cancelled or moved. */
  run({ appointmentId }: HoldExpireData): Promise<boolean> {
    return this.expireHold.execute(appointmentId);
  }
}
