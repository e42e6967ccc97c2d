import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MoneyDto, PaginationQueryDto } from '@app/common';
import { VisitTypeSummaryDto } from './visit-type.dto';

/** Present-but-null fails validation instead of being taken as "not given". */
const IfPresent = () => ValidateIf((_object, value) => value !== undefined);

export class SpecialtySummaryDto {
  id: string;

  /** @example "Cardiology" */
  name: string;
}

export class PublicDoctorDto {
  /** The doctor's user id. */
  id: string;

  /** @example "Gregory" */
  firstName: string;

  /** @example "House" */
  lastName: string;

  specialties: SpecialtySummaryDto[];

  /** @example "Diagnostician with twenty years of practice." */
  bio: string;

  consultationFee: MoneyDto;

  /** @example 30 */
  slotDurationMinutes: number;

  /**
   * IANA zone in which the doctor's hours and slot dates are read.
   * @example "America/New_York"
   */
  timezone: string;

  /** Active visit types in booking order; the first is what a booking without `visitTypeId` gets. */
  visitTypes: VisitTypeSummaryDto[];

  /**
   * Earliest free start of any active visit type within today and the next 14 days (doctor's
   * zone), or null.
   */
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2027-03-15T13:00:00.000Z',
  })
  nextAvailableAt: Date | null;
}

export class DoctorSearchQueryDto extends PaginationQueryDto {
  /** Only doctors with this specialty (id). */
  @IsOptional()
  @IsUUID('all')
  specialty?: string;

  /**
   * Words that must each appear in the first or last name (case-insensitive).
   * @example "house"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class UpdateDoctorProfileDto {
  /** @example "Diagnostician with twenty years of practice." */
  @IfPresent()
  @IsString()
  @MaxLength(4000)
  bio?: string;

  /** Replaces the doctor's specialties (ids of existing specialties). */
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  specialtyIds?: string[];

  /** The fee; also the price of the first active visit type. */
  @IfPresent()
  @ValidateNested()
  @Type(() => MoneyDto)
  consultationFee?: MoneyDto;

  /**
   * The doctor's slot grid (starts every this many minutes from each weekly window's start),
   * 5 to 240 minutes; also the length of the first active visit type.
   * @example 30
   */
  @IfPresent()
  @IsInt()
  @Min(5)
  @Max(240)
  slotDurationMinutes?: number;

  /**
   * IANA time zone of the doctor's weekly hours.
   * @example "Europe/Berlin"
   */
  @IfPresent()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}
