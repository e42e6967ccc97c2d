import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, isISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { AppointmentStatus } from '@app/database';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Only a full ISO 8601 instant (with Z or an offset) on a real calendar day becomes a Date;
 * anything else fails IsDate (new Date() would roll 2027-02-30 over to March 2).
 */
const Instant = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && ISO_INSTANT.test(value) && isISO8601(value, { strict: true })
      ? new Date(value)
      : value,
  );

export class CreateTimeOffDto {
  /**
   * ISO 8601 instant with a zone designator.
   * @example "2027-03-15T00:00:00Z"
   */
  @ApiProperty({ type: String, format: 'date-time' })
  @Instant()
  @IsDate({ message: 'startsAt must be an ISO 8601 instant' })
  startsAt: Date;

  /**
   * ISO 8601 instant after startsAt, in the future.
   * @example "2027-03-16T00:00:00Z"
   */
  @ApiProperty({ type: String, format: 'date-time' })
  @Instant()
  @IsDate({ message: 'endsAt must be an ISO 8601 instant' })
  endsAt: Date;

  /** @example "Conference" */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class TimeOffDto {
  id: string;

  startsAt: Date;

  endsAt: Date;

  /** @example "Conference" */
  reason: string | null;

  createdAt: Date;
}

export class PatientSummaryDto {
  id: string;

  /** @example "Ada" */
  firstName: string;

  /** @example "Lovelace" */
  lastName: string;
}

export class AffectedAppointmentDto {
  id: string;

  startsAt: Date;

  endsAt: Date;

  @ApiProperty({ enum: AppointmentStatus, enumName: 'AppointmentStatus' })
  status: AppointmentStatus;

  patient: PatientSummaryDto;
}

export class TimeOffCreatedDto {
  timeOff: TimeOffDto;

  /** Live appointments (pending payment or confirmed) overlapping the time off; they stay booked until acted on. */
  affectedAppointments: AffectedAppointmentDto[];
}
