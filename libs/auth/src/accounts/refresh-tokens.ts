import { EntityManager } from 'typeorm';
import { RefreshToken } from '@app/database';

export async function revokeRefreshTokenFamily(
  manager: EntityManager,
  familyId: string,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(RefreshToken)
    .set({ revokedAt: () => 'now()' })
    .where('family_id = :familyId AND revoked_at IS NULL', { familyId })
    .execute();
}

/** Ends every session of the user (deactivation, password reset). */
export async function revokeAllRefreshTokens(
  manager: EntityManager,
  userId: string,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(RefreshToken)
    .set({ revokedAt: () => 'now()' })
    .where('user_id = :userId AND revoked_at IS NULL', { userId })
    .execute();
}
