import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { OutboxKind, WorkState } from '../enums';

/**
 * Work recorded in the same transaction as the change that called for it: a domain event
 * for its consumers or a job to run. The row is the durable record of that work until
 * it is done; the queue only carries it.
 */
@Entity('outbox_events')
@Index('outbox_events_pending_idx', ['createdAt'], { where: `"state" = 'pending'` })
@Index('outbox_events_due_idx', ['nextAttemptAt'], { where: `"state" = 'queued'` })
@Index('outbox_events_job_id_idx', ['jobId'])
export class OutboxEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: OutboxKind, enumName: 'outbox_kind', default: OutboxKind.Event })
  kind: OutboxKind;

  /** The event type, or the job name. */
  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  aggregateType: string;

  @Column({ type: 'uuid', nullable: true })
  aggregateId: string | null;

  @Column({ type: 'jsonb' })
  payload: object;

  /** The queue's job id: deterministic, so adding the same work twice is a no-op. */
  @Column({ type: 'text', nullable: true })
  jobId: string | null;

  /** A delayed job runs from here on. */
  @Column({ type: 'timestamptz', nullable: true })
  runAt: Date | null;

  @Column({ type: 'enum', enum: WorkState, enumName: 'work_state', default: WorkState.Pending })
  state: WorkState;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** How often the sweeper put it back into the queue. */
  @Column({ type: 'int', default: 0 })
  requeues: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;
}
