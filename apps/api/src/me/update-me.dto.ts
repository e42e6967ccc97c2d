import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsString,
  IsTimeZone,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { Trim } from '@app/common';
import { Locale } from '@app/database';

// Omitted means unchanged; null is validated (and refused) rather than taken for omitted.
const Given = () => ValidateIf((_, value) => value !== undefined);

/** The editable part of one's profile; email and role cannot be changed here. */
export class UpdateMeDto {
  /** @example "Ada" */
  @Given()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName?: string;

  /** @example "Lovelace" */
  @Given()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName?: string;

  /**
   * A phone number, or null to remove it.
   * @example "+44 20 7946 0958"
   */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Trim()
  // The pattern allows 32 characters at most; MaxLength says so to the document.
  @MaxLength(32)
  @Matches(/^\+?[0-9][0-9 ().-]{4,30}$/, { message: 'phone must be a phone number' })
  phone?: string | null;

  /** @example "Europe/London" */
  @Given()
  @MaxLength(64)
  @IsTimeZone()
  timezone?: string;

  /** The language of your emails and notifications. */
  @ApiPropertyOptional({ enum: Locale, enumName: 'Locale', example: Locale.Fr })
  @Given()
  @IsEnum(Locale)
  locale?: Locale;
}
