import { Locale, User, UserRole } from '@app/database';

/** A user as the API shows it: never the password hash or the token version. */
export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  firstName: string;
  lastName: string;
  phone: string | null;
  timezone: string;
  locale: Locale;
  emailVerifiedAt: Date | null;
  deactivatedAt: Date | null;
  erasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    firstName: user.firstName,
    lastName: user.lastName,
    phone: user.phone,
    timezone: user.timezone,
    locale: user.locale,
    emailVerifiedAt: user.emailVerifiedAt,
    deactivatedAt: user.deactivatedAt,
    erasedAt: user.erasedAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
