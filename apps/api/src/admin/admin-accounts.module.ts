import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/auth';
import { AdminDoctorsController } from './admin-doctors.controller';
import { AdminUsersController } from './admin-users.controller';

@Module({
  imports: [AccountsModule],
  controllers: [AdminUsersController, AdminDoctorsController],
})
export class AdminAccountsModule {}
