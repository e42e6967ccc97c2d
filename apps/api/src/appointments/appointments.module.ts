import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { WaitlistController } from '../waitlist/waitlist.controller';
import { AppointmentsController } from './appointments.controller';

@Module({
  imports: [BookingModule],
  controllers: [AppointmentsController, WaitlistController],
})
export class AppointmentsModule {}
