import { Module } from '@nestjs/common';
import { PayPalClient } from './paypal.client';

/** The PayPal client for the api and the worker; AppConfig comes from the global ConfigModule. */
@Module({
  providers: [PayPalClient],
  exports: [PayPalClient],
})
export class PaymentsProviderModule {}
