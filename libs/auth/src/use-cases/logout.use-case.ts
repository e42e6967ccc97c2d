import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RefreshToken } from '@app/database';
import { hashOpaqueToken } from '../accounts/opaque-token';
import { revokeRefreshTokenFamily } from '../accounts/refresh-tokens';

/**
 * A user signs out: the session of that refresh token ends. Idempotent, and silent about
 * tokens that are unknown or someone else's.
 */
@Injectable()
export class Logout {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(userId: string, refreshToken: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const token = await manager.findOne(RefreshToken, {
        where: { tokenHash: hashOpaqueToken(refreshToken), userId },
        select: { id: true, familyId: true },
      });
      if (token) await revokeRefreshTokenFamily(manager, token.familyId);
    });
  }
}
