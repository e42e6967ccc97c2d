import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/common';
import type { DataSubject } from '@app/core';
import { User } from '@app/database';

/** The person as stored now, locked for the caller's transaction when `lock`. */
export async function loadSubject(
  manager: EntityManager,
  userId: string,
  lock = false,
): Promise<DataSubject & Pick<User, 'erasedAt' | 'passwordHash'>> {
  const query = manager
    .getRepository(User)
    .createQueryBuilder('user')
    .addSelect('user.passwordHash')
    .where('user.id = :userId', { userId });
  const user = await (lock ? query.setLock('pessimistic_write') : query).getOne();
  if (!user) throw new NotFoundError('User');
  return {
    id: user.id,
    role: user.role,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    phone: user.phone,
    erasedAt: user.erasedAt,
    passwordHash: user.passwordHash,
  };
}
