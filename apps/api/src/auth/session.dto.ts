import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '@app/common';
import { UserDto } from './user.dto';

export class LoginDto {
  /** @example "ada@example.com" */
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** @example "correct horse battery staple" */
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class RefreshTokenDto {
  /** The refresh token of the current session. */
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  refreshToken: string;
}

/** A signed-in session: send the access token as `Authorization: Bearer <accessToken>`. */
export class SessionDto {
  /** Short-lived JWT for the Authorization header. */
  accessToken: string;

  /** Opaque and single-use: POST /auth/refresh trades it for a new pair. */
  refreshToken: string;

  /**
   * Seconds until the access token expires.
   * @example 900
   */
  expiresIn: number;

  user: UserDto;
}
