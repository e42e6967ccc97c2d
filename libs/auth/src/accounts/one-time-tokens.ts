import { EntityManager } from 'typeorm';
import { OneTimeToken, OneTimeTokenPurpose } from '@app/database';
import { generateOpaqueToken, hashOpaqueToken } from './opaque-token';

/** How long the token in each kind of email link stays valid. */
export const ONE_TIME_TOKEN_TTL_SECONDS = {
  emailVerification: 24 * 3600,
  passwordReset: 3600,
  doctorInvitation: 7 * 24 * 3600,
} as const;

/** Stores the hash of a new single-use token and returns the token itself (for the email). */
export async function issueOneTimeToken(
  manager: EntityManager,
  userId: string,
  purpose: OneTimeTokenPurpose,
  ttlSeconds: number,
): Promise<string> {
  const token = generateOpaqueToken();
  await manager.insert(OneTimeToken, {
    userId,
    purpose,
    tokenHash: hashOpaqueToken(token),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return token;
}

/**
 * Marks the token used and returns its user id, or null when it is unknown, expired,
 * already used or of another purpose. One UPDATE, so two concurrent uses cannot both win.
 */
export async function consumeOneTimeToken(
  manager: EntityManager,
  token: string,
  purpose: OneTimeTokenPurpose,
): Promise<string | null> {
  const result = await manager
    .createQueryBuilder()
    .update(OneTimeToken)
    .set({ usedAt: () => 'now()' })
    .where('token_hash = :tokenHash', { tokenHash: hashOpaqueToken(token) })
    .andWhere('purpose = :purpose', { purpose })
    .andWhere('used_at IS NULL')
    .andWhere('expires_at > now()')
    .returning('user_id')
    .execute();
  const rows = result.raw as { user_id: string }[];
  return rows[0]?.user_id ?? null;
}

/** Other outstanding links of that purpose stop working (e.g. after a password change). */
export async function expireOneTimeTokens(
  manager: EntityManager,
  userId: string,
  purpose: OneTimeTokenPurpose,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(OneTimeToken)
    .set({ usedAt: () => 'now()' })
    .where('user_id = :userId AND purpose = :purpose AND used_at IS NULL', { userId, purpose })
    .execute();
}
