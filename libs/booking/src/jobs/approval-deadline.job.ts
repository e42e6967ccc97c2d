import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler, QueueName } from '@app/queues';
import { DecideApproval } from '../appointments/decide-approval.use-case';

export interface ApprovalDeadlineData {
  appointmentId: string;
}

/** Recorded with a booking that needs approval, due at its deadline; cancelled once decided. */
export const approvalDeadlineJob = defineJob<ApprovalDeadlineData>({
  name: 'booking.approval-deadline',
  queue: QueueName.Booking,
  id: ({ appointmentId }) => `approval-deadline-${appointmentId}`,
});

@Injectable()
export class ApprovalDeadlineHandler extends JobHandler<ApprovalDeadlineData> {
  readonly job = approvalDeadlineJob;

  constructor(private readonly decide: DecideApproval) {
    super();
  }

  /** A no-op once the doctor decided or the appointment was cancelled. */
  run({ appointmentId }: ApprovalDeadlineData): Promise<boolean> {
    return this.decide.declineOverdue(appointmentId);
  }
}
