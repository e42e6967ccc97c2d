import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PaginationQueryDto } from '@app/common';
import { AuditLog, AuditOutcome } from '@app/database';

export class AuditQueryDto extends PaginationQueryDto {
  /** Only rows about this appointment or payment. */
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  /** Only rows of this user's actions. */
  @IsOptional()
  @IsUUID()
  actorId?: string;
}

export class AuditLogDto {
  id: string;
  /** Null for actions of the system. */
  actorId: string | null;
  /** e.g. appointment.read, appointment.cancel, payment.create */
  action: string;
  resourceType: string;
  resourceId: string | null;
  /**
   * `allowed`: done, or read. `denied`: refused because the resource is not the caller's to see
   * or touch (404, 403, 401). `failed`: refused for another reason and nothing changed (any other
   * 4xx, e.g. INVALID_TRANSITION, SLOT_TAKEN, TOO_EARLY, TOO_LATE_TO_CHANGE, NOT_A_SLOT,
   * PATIENT_BUSY, PAYMENT_NOT_PAYABLE, VALIDATION_FAILED). A change's `allowed` row is written
   * in the change's own transaction.
   */
  @ApiProperty({ enum: AuditOutcome, enumName: 'AuditOutcome' })
  outcome: AuditOutcome;
  ip: string | null;
  requestId: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  at: string;

  static from(row: AuditLog): AuditLogDto {
    return {
      id: row.id,
      actorId: row.actorId,
      action: row.action,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
      outcome: row.outcome,
      ip: row.ip,
      requestId: row.requestId,
      at: row.at.toISOString(),
    };
  }
}
