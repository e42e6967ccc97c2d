import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { AccountsModule, BootstrapAdmin } from '@app/auth';
import { AuthController } from './auth.controller';

@Module({
  imports: [AccountsModule],
  controllers: [AuthController],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(private readonly bootstrapAdmin: BootstrapAdmin) {}

  /** Creates the ADMIN_EMAIL admin on start, when configured and absent. */
  onApplicationBootstrap(): Promise<void> {
    return this.bootstrapAdmin.execute();
  }
}
