import { Module } from '@nestjs/common';
import { SlotsModule } from '@app/booking';
import { SpecialtiesController } from './specialties.controller';

@Module({
  imports: [SlotsModule],
  controllers: [SpecialtiesController],
})
export class SpecialtiesModule {}
