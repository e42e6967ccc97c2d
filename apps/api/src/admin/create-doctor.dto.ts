import { PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { RegisterDto } from '../auth/register.dto';
import { UserDto } from '../auth/user.dto';

/** Email, names and time zone follow the same rules as a patient's registration. */
export class CreateDoctorDto extends PickType(RegisterDto, [
  'email',
  'firstName',
  'lastName',
  'timezone',
] as const) {
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
