import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { toAppointmentView } from '@app/booking';
import { MoneyDto, PaginationQueryDto, Trim } from '@app/common';
import { Appointment, AppointmentStatus, VisitMode } from '@app/database';

/** One answer: a string (text, long_text, date, single_choice), a boolean, or options. */
const ANSWER_VALUE = {
  oneOf: [
    { type: 'string', maxLength: 4000 },
    { type: 'boolean' },
    { type: 'array', items: { type: 'string', maxLength: 200 }, minItems: 1, maxItems: 20 },
  ],
};

export class CreateAppointmentDto {
  /** The doctor's id (the doctor's user id). */
  @IsUUID()
  doctorId: string;

  /** Start of a free slot from `GET /doctors/{id}/slots`, ISO 8601. */
  @ApiProperty({ format: 'date-time', example: '2027-03-01T14:00:00.000Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @ApiProperty({ type: String, format: 'date-time' })
  startsAt: string;

  /** Which of the doctor's visit types; default: the doctor's first active type. */
  @IsOptional()
  @IsUUID('all')
  @ApiPropertyOptional({ format: 'uuid' })
  visitTypeId?: string;

  /** Why the patient comes, shown to the doctor. Health data. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Trim()
  reason?: string;

  /**
   * Answers to the visit type's intake questions, keyed by question `key`: text, long_text
   * and date (`YYYY-MM-DD`) strings, a single_choice option, a non-empty array of
   * multi_choice options, a boolean. Health data.
   */
  @IsOptional()
  @IsObject()
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: ANSWER_VALUE,
    example: { symptoms: 'Headache for three days', first_visit: true },
  })
  answers?: Record<string, unknown>;
}

export class DeclineAppointmentDto {
  /** Told to the patient. */
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

export class AppointmentVisitTypeDto {
  id: string;
  /** @example "Consultation" */
  name: string;
  /** @example 30 */
  durationMinutes: number;
  @ApiProperty({ enum: VisitMode, enumName: 'VisitMode' })
  mode: VisitMode;
  location: string | null;
}

export class IntakeAnswerDto {
  /** @example "symptoms" */
  key: string;
  /** The question as it was asked at booking. @example "What brings you in?" */
  label: string;
  @ApiProperty(ANSWER_VALUE)
  value: string | boolean | string[];
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
  visitTypeId: string;
  visitType: AppointmentVisitTypeDto;
  /** Health data: seen by the patient, the doctor and admins only. */
  reason: string | null;
  /** Health data: the intake answers, with each question's label at booking time. */
  answers: IntakeAnswerDto[];
  /** The visit type's price when the appointment was booked. */
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
  /** Until when the doctor may approve (pending_approval), then the worker declines it. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvalDeadlineAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  declinedAt: string | null;
  declineReason: string | null;
  /** The recurring series this appointment belongs to. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  seriesId: string | null;
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
