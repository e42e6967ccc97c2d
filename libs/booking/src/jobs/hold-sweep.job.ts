import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { ExpireHold } from '../appointments/expire-hold.use-case';

/** Safety net behind the per-appointment expiry jobs, once a minute across all workers. */
export const holdSweepJob = defineJob<Record<string, never>>({
  name: 'booking.hold-sweep',
  queue: QueueName.Booking,
  id: () => 'hold-sweep',
  schedule: { id: 'hold-sweep', everyMs: () => 60_000 },
});

@Injectable()
export class HoldSweepHandler extends JobHandler<Record<string, never>> {
  readonly job = holdSweepJob;

  constructor(private readonly expireHold: ExpireHold) {
    super();
  }

  run(): Promise<number> {
    return this.expireHold.sweep();
  }
}
