import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@app/common';
import { DoctorProfile, User } from '@app/database';
import { AccountErasedError, CannotDeactivateSelfError } from '../accounts/account.errors';
import { revokeAllRefreshTokens } from '../accounts/refresh-tokens';
import { toUserView, UserView } from '../accounts/user-view';

export interface UpdateUserInput {
  deactivated: boolean;
}

/**
 * An admin deactivates or reactivates an account. Deactivation ends every session and
 * access token at once and takes a doctor out of the directory.
 */
@Injectable()
export class UpdateUser {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(actorId: string, userId: string, input: UpdateUserInput): Promise<UserView> {
    if (input.deactivated && actorId === userId) throw new CannotDeactivateSelfError();
    return this.db.transaction(async (manager) => {
      const user = await manager.findOne(User, {
        where: { id: userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw new NotFoundError('User');
      if (!input.deactivated && user.erasedAt) throw new AccountErasedError();
      if (input.deactivated && !user.deactivatedAt) {
        await manager.update(
          User,
          { id: userId },
          { deactivatedAt: () => 'now()', tokenVersion: () => 'token_version + 1' },
        );
        await revokeAllRefreshTokens(manager, userId);
      } else if (!input.deactivated && user.deactivatedAt) {
        await manager.update(User, { id: userId }, { deactivatedAt: null });
      }
      await manager.update(DoctorProfile, { userId }, { active: !input.deactivated });
      const updated = await manager.findOneOrFail(User, { where: { id: userId } });
      return toUserView(updated);
    });
  }
}
