import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/auth';
import { PrivacyModule } from '@app/privacy';
import { MeController } from './me.controller';

@Module({
  imports: [AccountsModule, PrivacyModule],
  controllers: [MeController],
})
export class MeModule {}
