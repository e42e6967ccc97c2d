import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { DecideApproval } from '../appointments/decide-approval.use-case';
import { ExpireHold } from '../appointments/expire-hold.use-case';

/**
 * Safety net behind the per-appointment payment-hold and approval-deadline jobs, once a
 * minute across all workers.
 */
export const holdSweepJob = defineJob<Record<string, never>>({
  name: 'booking.hold-sweep',
  queue: QueueName.Booking,
  id: () => 'hold-sweep',
  schedule: { id: 'hold-sweep', everyMs: () => 60_000 },
});

@Injectable()
export class HoldSweepHandler extends JobHandler<Record<string, never>> {
  readonly job = holdSweepJob;

  constructor(
    private readonly expireHold: ExpireHold,
    private readonly decide: DecideApproval,
  ) {
    super();
  }

  async run(): Promise<number> {
    return (await this.expireHold.sweep()) + (await this.decide.sweep());
  }
}
