import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { toAppointmentView } from '@app/booking';
import { MoneyDto, PaginationQueryDto, Trim } from '@app/common';
import { Appointment, AppointmentStatus } from '@app/database';

export class CreateAppointmentDto {
  /** The doctor's id (the doctor's user id). */
  @IsUUID()
  doctorId: string;

  /** Start of a free slot from `GET /doctors/{id}/slots`, ISO 8601. */
  @ApiProperty({ format: 'date-time', example: '2027-03-01T14:00:00.000Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @ApiProperty({ type: String, format: 'date-time' })
  startsAt: string;

  /** Why the patient comes, shown to the doctor. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Trim()
  reason?: string;
}

export class CancelAppointmentDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Trim()
  reason?: string;
}

export class RescheduleAppointmentDto {
  /** Start of another free slot of the same doctor. */
  @ApiProperty({ format: 'date-time', example: '2027-03-02T09:30:00.000Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @ApiProperty({ type: String, format: 'date-time' })
  startsAt: string;
}

export class ListAppointmentsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: AppointmentStatus, enumName: 'AppointmentStatus' })
  @IsOptional()
  @IsEnum(AppointmentStatus)
  status?: AppointmentStatus;

  /** Only appointments starting at or after this instant. */
  @IsOptional()
  @MaxLength(40)
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  /** Only appointments starting before this instant. */
  @IsOptional()
  @MaxLength(40)
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}

export class PersonSummaryDto {
  id: string;
  firstName: string;
  lastName: string;
}

export class AppointmentDto {
  id: string;
  doctorId: string;
  patientId: string;
  @ApiProperty({ type: String, format: 'date-time', example: '2027-03-01T14:00:00.000Z' })
  startsAt: string;
  @ApiProperty({ type: String, format: 'date-time', example: '2027-03-01T14:30:00.000Z' })
  endsAt: string;
  @ApiProperty({ enum: AppointmentStatus, enumName: 'AppointmentStatus' })
  status: AppointmentStatus;
  reason: string | null;
  /** The doctor's fee when the appointment was booked. */
  fee: MoneyDto;
  /** Until when an unpaid booking holds its slot (pending_payment only). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  holdExpiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: string | null;
  /** Id of the user who cancelled. */
  cancelledBy: string | null;
  cancellationReason: string | null;
  /** The appointment this one replaced by a reschedule. */
  rescheduledFromId: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
  doctor: PersonSummaryDto;
  patient: PersonSummaryDto;

  static from(a: Appointment): AppointmentDto {
    return toAppointmentView(a);
  }
}
