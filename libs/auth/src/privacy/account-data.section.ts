import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type DataSubject, ERASED_NAME, type PersonalDataSection } from '@app/core';
import { OneTimeToken, RefreshToken, User } from '@app/database';
import { revokeAllRefreshTokens } from '../accounts/refresh-tokens';
import { toUserView } from '../accounts/user-view';

/** The address an erased account keeps: unique, unroutable (RFC 2606 `.invalid`). */
export const erasedEmail = (userId: string) => `erased-${userId}@erased.invalid`;

/**
 * The account itself: profile and sign-in sessions. Exported without the password hash,
 * the token version or any token hash; erased by placeholders, every token revoked.
 */
@Injectable()
export class AccountDataSection implements PersonalDataSection {
  readonly name = 'profile';

  async export(manager: EntityManager, subject: DataSubject) {
    const user = await manager.findOneByOrFail(User, { id: subject.id });
    const sessions = await manager.find(RefreshToken, {
      where: { userId: subject.id },
      select: { id: true, familyId: true, createdAt: true, expiresAt: true, revokedAt: true },
      order: { createdAt: 'ASC' },
    });
    return {
      data: {
        ...toUserView(user),
        sessions: sessions.map((s) => ({
          id: s.id,
          familyId: s.familyId,
          createdAt: s.createdAt,
          expiresAt: s.expiresAt,
          revokedAt: s.revokedAt,
        })),
      },
      recordIds: [subject.id],
    };
  }

  /**
   * Bumping the token version ends every access token at once (the JWT strategy compares it
   * on each request); refresh tokens are revoked and unused email links deleted.
   */
  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    await manager.update(
      User,
      { id: subject.id },
      {
        email: erasedEmail(subject.id),
        firstName: ERASED_NAME.firstName,
        lastName: ERASED_NAME.lastName,
        phone: null,
        passwordHash: null,
        emailVerifiedAt: null,
        deactivatedAt: () => 'COALESCE(deactivated_at, now())',
        erasedAt: () => 'now()',
        tokenVersion: () => 'token_version + 1',
      },
    );
    await revokeAllRefreshTokens(manager, subject.id);
    await manager.delete(OneTimeToken, { userId: subject.id });
  }
}
