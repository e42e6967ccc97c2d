import { Module } from '@nestjs/common';
import { PaymentsModule } from '@app/payments';
import { AppointmentPaymentsController, PaymentsController } from './payments.controller';

@Module({
  imports: [PaymentsModule],
  controllers: [AppointmentPaymentsController, PaymentsController],
})
export class PaymentsApiModule {}
