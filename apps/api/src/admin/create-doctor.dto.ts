import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Trim } from '../auth/trim';
import { UserDto } from '../auth/user.dto';

export class CreateDoctorDto {
  /** @example "g.house@example.com" */
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** @example "Gregory" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName: string;

  /** @example "House" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName: string;

  /**
   * Initial password (at least 8 characters). Without it the doctor is emailed a
   * set-password link valid for 7 days.
   */
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password?: string;

  /** Ids of existing specialties. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  specialtyIds?: string[];

  /**
   * IANA time zone of the doctor's working hours; defaults to UTC.
   * @example "America/New_York"
   */
  @IsOptional()
  @IsTimeZone()
  timezone?: string;
}

export class SpecialtySummaryDto {
  /** @example "0b6f1c55-3a8e-4d0b-9f5e-1b2f3c4d5e6f" */
  id: string;

  /** @example "Cardiology" */
  name: string;
}

export class CreatedDoctorDto extends UserDto {
  specialties: SpecialtySummaryDto[];

  /** True when no password was given and a set-password link is being emailed. */
  invited: boolean;
}
