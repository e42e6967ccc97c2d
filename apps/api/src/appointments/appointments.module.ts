import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { IdempotencyModule } from '@app/core';
import { WaitlistController } from '../waitlist/waitlist.controller';
import { AppointmentsController } from './appointments.controller';

@Module({
  imports: [BookingModule, IdempotencyModule],
  controllers: [AppointmentsController, WaitlistController],
})
export class AppointmentsModule {}
