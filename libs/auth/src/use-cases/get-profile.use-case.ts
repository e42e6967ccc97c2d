import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@app/common';
import { User } from '@app/database';
import { toUserView, UserView } from '../accounts/user-view';

/** A signed-in user reads their own profile. */
@Injectable()
export class GetProfile {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(userId: string): Promise<UserView> {
    const user = await this.db.getRepository(User).findOne({ where: { id: userId } });
    if (!user) throw new NotFoundError('User');
    return toUserView(user);
  }
}
