import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/auth';
import { MeController } from './me.controller';

@Module({
  imports: [AccountsModule],
  controllers: [MeController],
})
export class MeModule {}
