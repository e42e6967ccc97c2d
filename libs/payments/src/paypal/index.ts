export * from './payment-provider.error';
export * from './payments-provider.module';
export * from './paypal.client';
export * from './paypal.types';
export {
  findApproveUrl,
  parsePayPalError,
  readWebhookTransmission,
  selectCapture,
  toMinorMoney,
  toPayPalMoney,
} from './paypal-wire';
export type { WebhookTransmission } from './paypal-wire';
