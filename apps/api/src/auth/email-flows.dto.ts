import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '@app/common';

export class VerifyEmailDto {
  /** The `token` query parameter of the link in the verification email. */
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  token: string;
}

export class ForgotPasswordDto {
  /** @example "ada@example.com" */
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  /** The `token` query parameter of the reset (or set-password invitation) link. */
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  token: string;

  /**
   * The new password, at least 8 characters.
   * @example "a new long passphrase"
   */
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;
}
