import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OneTimeTokenPurpose, User } from '@app/database';
import { InvalidOneTimeTokenError } from '../accounts/account.errors';
import { consumeOneTimeToken, expireOneTimeTokens } from '../accounts/one-time-tokens';
import { hashPassword } from '../accounts/password';
import { revokeAllRefreshTokens } from '../accounts/refresh-tokens';

export interface ResetPasswordInput {
  token: string;
  password: string;
}

/**
 * A user sets a new password from a reset (or doctor invitation) link. Every existing
 * session and access token stops working, and the email counts as verified.
 */
@Injectable()
export class ResetPassword {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(input: ResetPasswordInput): Promise<void> {
    await this.db.transaction(async (manager) => {
      const userId = await consumeOneTimeToken(
        manager,
        input.token,
        OneTimeTokenPurpose.PasswordReset,
      );
      if (!userId) throw new InvalidOneTimeTokenError();
      // Hashed only now: a bad token must not cost an argon2 hash. The consumed token's row
      // stays locked meanwhile, so a concurrent use of it waits and then fails.
      const passwordHash = await hashPassword(input.password);
      await manager
        .createQueryBuilder()
        .update(User)
        .set({
          passwordHash,
          tokenVersion: () => 'token_version + 1',
          emailVerifiedAt: () => 'COALESCE(email_verified_at, now())',
        })
        .where('id = :userId', { userId })
        .execute();
      await revokeAllRefreshTokens(manager, userId);
      await expireOneTimeTokens(manager, userId, OneTimeTokenPurpose.PasswordReset);
    });
  }
}
