import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsOptional, Matches, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '@app/common';
import { OutboxEvent, OutboxKind, WorkState } from '@app/database';

export class WorkQueryDto extends PaginationQueryDto {
  /** Only work in this state, e.g. `failed`. */
  @IsOptional()
  @ApiProperty({ enum: WorkState, enumName: 'WorkState', required: false })
  @IsEnum(WorkState)
  state?: WorkState;

  /** Only this event type or job name, e.g. `notification.email`. */
  @IsOptional()
  @MaxLength(100)
  @Matches(/^[a-z][a-z0-9_.-]*$/)
  type?: string;
}

/** One unit of background work. Its payload is not shown: ids only, and nothing a person needs. */
export class WorkItemDto {
  id: string;
  @ApiProperty({ enum: OutboxKind, enumName: 'OutboxKind' })
  kind: OutboxKind;
  /** The event type or the job name. */
  type: string;
  @ApiProperty({ enum: WorkState, enumName: 'WorkState' })
  state: WorkState;
  /** Times the queue took it. */
  attempts: number;
  /** Times the sweeper put it back after its tries ran out. */
  requeues: number;
  lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
  /** When a delayed job is due. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  runAt: string | null;
  /** When the sweeper looks at it next. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failedAt: string | null;

  static from(row: OutboxEvent): WorkItemDto {
    const iso = (date: Date | null) => (date ? date.toISOString() : null);
    return {
      id: row.id,
      kind: row.kind,
      type: row.type,
      state: row.state,
      attempts: row.attempts,
      requeues: row.requeues,
      lastError: row.lastError,
      createdAt: row.createdAt.toISOString(),
      runAt: iso(row.runAt),
      nextAttemptAt: iso(row.nextAttemptAt),
      completedAt: iso(row.completedAt),
      failedAt: iso(row.failedAt),
    };
  }
}
