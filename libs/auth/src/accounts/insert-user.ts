import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { User } from '@app/database';
import { EmailTakenError } from './account.errors';

/**
 * Inserts a user, or throws EmailTakenError when the (case-insensitive) email exists.
 * ON CONFLICT DO NOTHING settles concurrent sign-ups in the database, without a failed
 * statement that would abort the transaction.
 */
export async function insertUser(
  manager: EntityManager,
  values: QueryDeepPartialEntity<User>,
): Promise<User> {
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(User)
    .values(values)
    .orIgnore()
    .returning('id')
    .execute();
  const id = (result.raw as { id: string }[])[0]?.id;
  if (!id) throw new EmailTakenError();
  return manager.findOneByOrFail(User, { id });
}
