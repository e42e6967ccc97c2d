import { Module } from '@nestjs/common';
import { BookingModule } from '@app/booking';
import { IdempotencyModule } from '@app/core';
import { PaymentsModule } from '@app/payments';
import { AppointmentSeriesController } from './appointment-series.controller';

@Module({
  imports: [BookingModule, PaymentsModule, IdempotencyModule],
  controllers: [AppointmentSeriesController],
})
export class AppointmentSeriesModule {}
