import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from '@app/database';
import { AccountDeactivatedError, InvalidCredentialsError } from '../accounts/account.errors';
import { verifyPassword } from '../accounts/password';
import { Session, SessionIssuer } from '../accounts/session-issuer';

export interface LoginInput {
  email: string;
  password: string;
}

/** A user signs in with email and password and gets a new session. */
@Injectable()
export class Login {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute(input: LoginInput): Promise<Session> {
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: input.email })
      .getOne();
    const matches = await verifyPassword(user?.passwordHash, input.password);
    if (!user || !matches) throw new InvalidCredentialsError();
    // Said only to whoever knows the password.
    if (user.deactivatedAt) throw new AccountDeactivatedError();
    return this.sessions.issue(this.db.manager, user);
  }
}
