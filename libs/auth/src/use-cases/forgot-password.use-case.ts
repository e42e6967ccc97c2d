import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OneTimeTokenPurpose, User } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { issueOneTimeToken, ONE_TIME_TOKEN_TTL_SECONDS } from '../accounts/one-time-tokens';

/**
 * A user who forgot the password asks for a reset link. The caller learns nothing about
 * whether the email has an account: the answer is the same either way.
 */
@Injectable()
export class ForgotPassword {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(email: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const user = await manager.findOne(User, {
        where: { email },
        select: { id: true, deactivatedAt: true },
      });
      if (!user || user.deactivatedAt) return;
      const token = await issueOneTimeToken(
        manager,
        user.id,
        OneTimeTokenPurpose.PasswordReset,
        ONE_TIME_TOKEN_TTL_SECONDS.passwordReset,
      );
      await recordEvents(manager, [
        { type: EventType.PasswordResetRequested, payload: { userId: user.id, token } },
      ]);
    });
  }
}
