import { Module } from '@nestjs/common';
import { IdempotencyModule } from '@app/core';
import { PaymentsModule } from '@app/payments';
import { AppointmentPaymentsController, PaymentsController } from './payments.controller';

@Module({
  imports: [PaymentsModule, IdempotencyModule],
  controllers: [AppointmentPaymentsController, PaymentsController],
})
export class PaymentsApiModule {}
