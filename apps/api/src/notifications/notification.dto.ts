import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { PaginationQueryDto, Trim } from '@app/common';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListNotificationsQueryDto extends PaginationQueryDto {
  /** `true`: only unread notifications; `false`: only read ones; absent: all. */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  unread?: boolean;
}

export class StreamQueryDto {
  /** Documented as the streamTicket security scheme (an apiKey in the query), not as a parameter. */
  @ApiHideProperty()
  @IsOptional()
  @IsString()
  ticket?: string;

  /**
   * Id of the last notification received: what came after it is sent first. For a new
   * EventSource after a ticket expired (it cannot send the `Last-Event-ID` header).
   */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  lastEventId?: string;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** What it is about, e.g. `appointment.booked`, `appointment.cancelled`, `announcement`. */
  @ApiProperty({ example: 'appointment.booked' })
  type: string;

  @ApiProperty({ example: 'Your appointment with Dr. House is booked' })
  title: string;

  /** Plain text; paragraphs are separated by a blank line. */
  body: string;

  /** Ids the frontend can link to, depending on `type` (e.g. `appointmentId`). */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { appointmentId: '0b9f3a3e-8d1c-4c47-9d0e-2f1c3a4b5c6d' },
  })
  data: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  readAt: string | null;

  @ApiProperty({ format: 'date-time', example: '2027-03-01T09:00:00.000Z' })
  createdAt: string;
}

export class UnreadCountDto {
  @ApiProperty({ type: 'integer', example: 3 })
  count: number;
}

export class ReadAllResultDto {
  /** How many notifications were unread and are now read. */
  @ApiProperty({ type: 'integer', example: 3 })
  updated: number;
}

export class StreamTicketDto {
  /** Put it in `GET /notifications/stream?ticket=`; it works once. */
  @ApiProperty({ example: 'q8V0m2q1bQ2kYt9m3XrZ0s7cH1v4Jw6pL5nE8fA2dKc' })
  ticket: string;

  /** The ticket is refused after this instant (60 seconds after issue). */
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class CreateAnnouncementDto {
  /** Subject of the email and title in the app. */
  @ApiProperty({ example: 'The practice is closed on Friday', maxLength: 200 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  /** The message, plain text; a blank line starts a new paragraph. */
  @ApiProperty({ example: 'Your appointment will be moved; we will call you.', maxLength: 5000 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  body: string;

  /** Only appointments starting at or after this instant (default: now). */
  @ApiPropertyOptional({ format: 'date-time', example: '2027-03-05T00:00:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  /** Only appointments starting before this instant (must be later than `from`). */
  @ApiPropertyOptional({ format: 'date-time', example: '2027-03-06T00:00:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  /**
   * Whose patients hear it. A doctor may omit it or pass their own id (another id: 403).
   * An admin names a doctor, or omits it: with `from`/`to` every patient with a live
   * appointment in the range, without them every active user.
   */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  doctorId?: string;
}

export class AnnouncementResultDto {
  /** How many people the message goes to (email and in-app each). */
  @ApiProperty({ type: 'integer', example: 12 })
  recipients: number;
}
