import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OneTimeTokenPurpose, User } from '@app/database';
import { InvalidOneTimeTokenError } from '../accounts/account.errors';
import { consumeOneTimeToken } from '../accounts/one-time-tokens';

/** A user follows the link of the verification email. */
@Injectable()
export class VerifyEmail {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(token: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const userId = await consumeOneTimeToken(
        manager,
        token,
        OneTimeTokenPurpose.EmailVerification,
      );
      if (!userId) throw new InvalidOneTimeTokenError();
      await manager
        .createQueryBuilder()
        .update(User)
        .set({ emailVerifiedAt: () => 'now()' })
        .where('id = :userId AND email_verified_at IS NULL', { userId })
        .execute();
    });
  }
}
