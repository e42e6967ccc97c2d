import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOffset, paginate, Paginated } from '@app/common';
import { User, UserRole } from '@app/database';
import { toUserView, UserView } from '../accounts/user-view';

export interface ListUsersInput {
  page: number;
  limit: number;
  /** Part of the name or email, case-insensitive. */
  q?: string;
  role?: UserRole;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** An admin lists and searches accounts, newest first. */
@Injectable()
export class ListUsers {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(input: ListUsersInput): Promise<Paginated<UserView>> {
    const query = this.db.getRepository(User).createQueryBuilder('user');
    if (input.q) {
      query.andWhere(
        "(user.email ILIKE :q OR user.firstName ILIKE :q OR user.lastName ILIKE :q OR (user.firstName || ' ' || user.lastName) ILIKE :q)",
        { q: `%${escapeLike(input.q)}%` },
      );
    }
    if (input.role) query.andWhere('user.role = :role', { role: input.role });
    const { skip, take } = pageOffset(input);
    const [users, total] = await query
      .orderBy('user.createdAt', 'DESC')
      .addOrderBy('user.id', 'ASC')
      .skip(skip)
      .take(take)
      .getManyAndCount();
    return paginate(users.map(toUserView), total, input);
  }
}
