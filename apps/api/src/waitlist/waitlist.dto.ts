import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, IsUUID, Matches } from 'class-validator';
import { WaitlistEntry } from '@app/database';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_DOC = { format: 'date', pattern: DATE.source, maxLength: 10 } as const;

export class JoinWaitlistDto {
  @IsUUID()
  doctorId: string;

  /** First date (in the doctor's time zone) you could come. */
  @ApiProperty({ ...DATE_DOC, example: '2027-03-01' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true })
  from: string;

  /** Last date (inclusive). */
  @ApiProperty({ ...DATE_DOC, example: '2027-03-14' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true })
  to: string;
}

export class WaitlistEntryDto {
  id: string;
  doctorId: string;
  @ApiProperty({ format: 'date', example: '2027-03-01' })
  from: string;
  @ApiProperty({ format: 'date', example: '2027-03-14' })
  to: string;
  /** When you were last told about a free slot. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastNotifiedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  static from(entry: WaitlistEntry): WaitlistEntryDto {
    return {
      id: entry.id,
      doctorId: entry.doctorId,
      from: entry.fromDate,
      to: entry.toDate,
      lastNotifiedAt: entry.lastNotifiedAt?.toISOString() ?? null,
      createdAt: entry.createdAt.toISOString(),
    };
  }
}
