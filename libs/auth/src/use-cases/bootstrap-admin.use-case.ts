import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { User, UserRole } from '@app/database';
import { hashPassword } from '../accounts/password';

/**
 * On api start, creates the ADMIN_EMAIL admin when no account has that email. Safe when
 * several instances start together: the insert ignores a conflict on the email.
 */
@Injectable()
export class BootstrapAdmin {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async execute(): Promise<void> {
    const admin = this.config.admin;
    if (!admin) return;
    const users = this.db.getRepository(User);
    if (await users.exists({ where: { email: admin.email } })) return;
    const result = await users
      .createQueryBuilder()
      .insert()
      .values({
        email: admin.email,
        passwordHash: await hashPassword(admin.password),
        role: UserRole.Admin,
        firstName: 'Admin',
        lastName: 'User',
        emailVerifiedAt: new Date(),
      })
      .orIgnore()
      .returning('id')
      .execute();
    if ((result.raw as unknown[]).length > 0)
      this.logger.log(`Created the bootstrap admin ${admin.email}`);
  }
}
