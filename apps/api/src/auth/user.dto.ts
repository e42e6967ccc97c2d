import { ApiProperty } from '@nestjs/swagger';
import type { UserView } from '@app/auth';
import { Locale, UserRole } from '@app/database';

/**
 * An account as the API shows it. The fields are declared here for the Swagger plugin;
 * `implements UserView` keeps them in step with what the use cases return.
 */
export class UserDto implements UserView {
  /** @example "3f0c2b8e-5b7a-4f0e-9a51-2d7c9e6b1a40" */
  id: string;

  /** @example "ada@example.com" */
  email: string;

  @ApiProperty({ enum: UserRole, enumName: 'UserRole', example: UserRole.Patient })
  role: UserRole;

  /** @example "Ada" */
  firstName: string;

  /** @example "Lovelace" */
  lastName: string;

  /** @example "+44 20 7946 0958" */
  phone: string | null;

  /**
   * IANA time zone the user's times are shown in.
   * @example "Europe/London"
   */
  timezone: string;

  /** The language of the user's emails and in-app notifications. */
  @ApiProperty({ enum: Locale, enumName: 'Locale', example: Locale.En })
  locale: Locale;

  /** When the email address was confirmed; null until then. */
  emailVerifiedAt: Date | null;

  /** When an admin deactivated the account; null while active. */
  deactivatedAt: Date | null;

  /** When the account's personal data was erased (it is deactivated too); null otherwise. */
  erasedAt: Date | null;

  createdAt: Date;

  updatedAt: Date;
}
