import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@app/common';
import { Locale, User } from '@app/database';
import { toUserView, UserView } from '../accounts/user-view';

/** The fields a user may change; email and role are deliberately absent. */
export interface UpdateProfileInput {
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  timezone?: string;
  locale?: Locale;
}

/** A signed-in user edits their own profile. */
@Injectable()
export class UpdateProfile {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(userId: string, input: UpdateProfileInput): Promise<UserView> {
    const { firstName, lastName, phone, timezone, locale } = input;
    const changes = Object.fromEntries(
      Object.entries({ firstName, lastName, phone, timezone, locale }).filter(
        ([, value]) => value !== undefined,
      ),
    );
    const users = this.db.getRepository(User);
    if (Object.keys(changes).length > 0) await users.update({ id: userId }, changes);
    const user = await users.findOne({ where: { id: userId } });
    if (!user) throw new NotFoundError('User');
    return toUserView(user);
  }
}
