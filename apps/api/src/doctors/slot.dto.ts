import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';

export class SlotsQueryDto {
  /**
   * First date, YYYY-MM-DD in the doctor's time zone.
   * @example "2027-03-15"
   */
  @MaxLength(10)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  /**
   * Last date (included), YYYY-MM-DD in the doctor's time zone; at most 31 days in all.
   * @example "2027-03-21"
   */
  @MaxLength(10)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  to: string;

  /** Slots of this visit type of the doctor; default: the doctor's first active type. */
  @IsOptional()
  @IsUUID('all')
  @ApiProperty({ required: false, format: 'uuid' })
  visitTypeId?: string;
}

/**
 * Instants travel as ISO strings written by formatInstant (serializing Date objects was the
 * largest cost of a month of slots); `type: Date` keeps them documented as date-time.
 */
export class SlotDto {
  /** @example "2027-03-15T13:00:00.000Z" */
  @ApiProperty({ type: Date })
  startsAt: string;

  /** End of the visit (its buffers are not included). @example "2027-03-15T13:30:00.000Z" */
  @ApiProperty({ type: Date })
  endsAt: string;

  /** The visit type these slots are for. */
  @ApiProperty({ format: 'uuid' })
  visitTypeId: string;
}
