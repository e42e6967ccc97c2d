import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RefreshToken, User } from '@app/database';
import { InvalidRefreshTokenError } from '../accounts/account.errors';
import { hashOpaqueToken } from '../accounts/opaque-token';
import { revokeRefreshTokenFamily } from '../accounts/refresh-tokens';
import { Session, SessionIssuer } from '../accounts/session-issuer';

type Outcome = { session: Session } | { rejected: 'unknown' | 'reused' };

/**
 * A client trades its refresh token for a new pair. The old token stops working; if a
 * rotated token comes back, someone holds a copy, so the whole family is revoked.
 */
@Injectable()
export class RefreshSession {
  private readonly logger = new Logger(RefreshSession.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute(refreshToken: string): Promise<Session> {
    // The revocation must commit even though the request fails, so the transaction
    // returns an outcome and the error is thrown after it.
    const outcome = await this.db.transaction(async (manager): Promise<Outcome> => {
      const current = await manager.findOne(RefreshToken, {
        where: { tokenHash: hashOpaqueToken(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current || current.revokedAt) return { rejected: 'unknown' };
      if (current.rotatedAt) {
        await revokeRefreshTokenFamily(manager, current.familyId);
        this.logger.warn({
          msg: 'Refresh token reused; session family revoked',
          userId: current.userId,
        });
        return { rejected: 'reused' };
      }
      if (current.expiresAt.getTime() <= Date.now()) return { rejected: 'unknown' };
      const user = await manager.findOne(User, { where: { id: current.userId } });
      if (!user || user.deactivatedAt) {
        await revokeRefreshTokenFamily(manager, current.familyId);
        return { rejected: 'unknown' };
      }
      await manager.update(RefreshToken, { id: current.id }, { rotatedAt: new Date() });
      return { session: await this.sessions.issue(manager, user, current.familyId) };
    });
    if ('rejected' in outcome) throw new InvalidRefreshTokenError();
    return outcome.session;
  }
}
