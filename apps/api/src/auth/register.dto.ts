import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Trim } from '@app/common';
import { Locale } from '@app/database';

export class RegisterDto {
  /**
   * Unique, compared case-insensitively.
   * @example "ada@example.com"
   */
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  /**
   * At least 8 characters.
   * @example "correct horse battery staple"
   */
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  /** @example "Ada" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName: string;

  /** @example "Lovelace" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName: string;

  /**
   * Digits with an optional leading +, spaces, dashes, dots or parentheses.
   * @example "+44 20 7946 0958"
   */
  @IsOptional()
  @Trim()
  // The pattern allows 32 characters at most; MaxLength says so to the document.
  @MaxLength(32)
  @Matches(/^\+?[0-9][0-9 ().-]{4,30}$/, { message: 'phone must be a phone number' })
  phone?: string;

  /**
   * IANA time zone; defaults to UTC.
   * @example "Europe/London"
   */
  @IsOptional()
  @MaxLength(64)
  @IsTimeZone()
  timezone?: string;

  /** The language of the account's emails and notifications; defaults to en. */
  @ApiPropertyOptional({ enum: Locale, enumName: 'Locale', example: Locale.De })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale;
}
