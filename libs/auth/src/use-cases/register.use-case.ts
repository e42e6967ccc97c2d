import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Locale, OneTimeTokenPurpose, UserRole } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { issueOneTimeToken, ONE_TIME_TOKEN_TTL_SECONDS } from '../accounts/one-time-tokens';
import { hashPassword } from '../accounts/password';
import { insertUser } from '../accounts/insert-user';
import { toUserView, UserView } from '../accounts/user-view';

export interface RegisterInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  phone?: string;
  timezone?: string;
  locale?: Locale;
}

/** A visitor creates a patient account; a verification link is emailed. */
@Injectable()
export class Register {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(input: RegisterInput): Promise<UserView> {
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (manager) => {
      const user = await insertUser(manager, {
        email: input.email,
        passwordHash,
        role: UserRole.Patient,
        firstName: input.firstName,
        lastName: input.lastName,
        phone: input.phone ?? null,
        timezone: input.timezone ?? 'UTC',
        locale: input.locale ?? Locale.En,
      });
      const token = await issueOneTimeToken(
        manager,
        user.id,
        OneTimeTokenPurpose.EmailVerification,
        ONE_TIME_TOKEN_TTL_SECONDS.emailVerification,
      );
      await recordEvents(manager, [
        { type: EventType.EmailVerificationRequested, payload: { userId: user.id, token } },
      ]);
      return toUserView(user);
    });
  }
}
