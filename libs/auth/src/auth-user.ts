import { UserRole } from '@app/database';

/** The authenticated caller, as guards and handlers see it. */
export interface AuthUser {
  id: string;
  role: UserRole;
  email: string;
}

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  /** The user's token version when issued: bumping it revokes every access token at once. */
  ver: number;
  typ: 'access';
}

export const JWT_ISSUER = 'doctor-appointment';
export const JWT_AUDIENCE = 'doctor-appointment-api';
export const JWT_ALGORITHM = 'HS256';
