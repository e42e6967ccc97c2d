import { DynamicModule, Module } from '@nestjs/common';
import { PAYPAL_CLIENT_OPTIONS, PayPalClient, PayPalClientOptions } from './paypal.client';

/** The PayPal client for the api and the worker; AppConfig comes from the global ConfigModule. */
@Module({
  providers: [PayPalClient],
  exports: [PayPalClient],
})
export class PaymentsProviderModule {
  /** The same module with client options (e.g. a shorter timeout). */
  static withOptions(options: PayPalClientOptions): DynamicModule {
    return {
      module: PaymentsProviderModule,
      providers: [{ provide: PAYPAL_CLIENT_OPTIONS, useValue: options }],
    };
  }
}
