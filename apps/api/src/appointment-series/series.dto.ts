import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsISO8601,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Trim } from '@app/common';
import { SeriesStatus, seriesStatus, SeriesView } from '@app/booking';
import { AppointmentDto } from '../appointments/appointment.dto';

export class SeriesRepeatDto {
  /** Every how many weeks. @example 1 */
  @IsInt()
  @Min(1)
  @Max(4)
  every: number;

  @ApiProperty({ enum: ['week'], example: 'week' })
  @Equals('week')
  unit: 'week';
}

export class CreateSeriesDto {
  /** The doctor's id (the doctor's user id). */
  @IsUUID()
  doctorId: string;

  /** Which of the doctor's visit types; default: the doctor's first active type. */
  @IsOptional()
  @IsUUID('all')
  @ApiPropertyOptional({ format: 'uuid' })
  visitTypeId?: string;

  /**
   * The first occurrence: a start from `GET /doctors/{id}/slots`. The others keep its local
   * wall-clock time in the doctor's zone, across daylight-saving changes.
   */
  @IsISO8601({ strict: true, strictSeparator: true })
  @ApiProperty({ type: String, format: 'date-time', example: '2027-03-02T08:00:00.000Z' })
  startsAt: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => SeriesRepeatDto)
  repeat: SeriesRepeatDto;

  /** How many occurrences in all, the first included. @example 8 */
  @IsInt()
  @Min(2)
  @Max(26)
  count: number;

  /** Why the patient comes, shown to the doctor on every occurrence. Health data. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Trim()
  reason?: string;

  /** Intake answers as on `POST /appointments`, kept on every occurrence. Health data. */
  @IsOptional()
  @IsObject()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  answers?: Record<string, unknown>;
}

export class CancelSeriesDto {
  /** Cancel the live occurrences starting at or after this instant; default now. */
  @IsOptional()
  @MaxLength(40)
  @IsISO8601({ strict: true, strictSeparator: true })
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  from?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Trim()
  reason?: string;
}

export class DeclineSeriesDto {
  /** Told to the patient. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Trim()
  reason?: string;
}

export class SeriesRepeatViewDto {
  /** @example 1 */
  every: number;
  @ApiProperty({ enum: ['week'], example: 'week' })
  unit: 'week';
}

export class AppointmentSeriesDto {
  id: string;
  doctorId: string;
  patientId: string;
  visitTypeId: string;
  repeat: SeriesRepeatViewDto;
  /** @example 8 */
  count: number;
  /** Derived from the occurrences: active while one is live. */
  @ApiProperty({ enum: SeriesStatus, enumName: 'SeriesStatus' })
  status: SeriesStatus;
  /** The occurrences, by start (a rescheduled one as both its old and new appointment). */
  @ApiProperty({ type: [AppointmentDto] })
  appointments: AppointmentDto[];
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  static from({ series, appointments }: SeriesView): AppointmentSeriesDto {
    return {
      id: series.id,
      doctorId: series.doctorId,
      patientId: series.patientId,
      visitTypeId: series.visitTypeId,
      repeat: { every: series.repeatEvery, unit: series.repeatUnit },
      count: series.count,
      status: seriesStatus(appointments),
      appointments: appointments.map((a) => AppointmentDto.from(a)),
      createdAt: series.createdAt.toISOString(),
    };
  }
}

export class CancelledSeriesDto extends AppointmentSeriesDto {
  /** Live occurrences a patient can no longer cancel (inside the change cutoff); still live. */
  @ApiProperty({ type: [String], format: 'uuid' })
  notCancelled: string[];
}
