import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/auth';
import { PrivacyModule } from '@app/privacy';
import { AdminDoctorsController } from './admin-doctors.controller';
import { AdminUsersController } from './admin-users.controller';

@Module({
  imports: [AccountsModule, PrivacyModule],
  controllers: [AdminUsersController, AdminDoctorsController],
})
export class AdminAccountsModule {}
