import { Module } from '@nestjs/common';
import { AuditTrailModule } from '@app/core';
import { PaymentsProviderModule } from '../paypal';
import { CapturePayment } from './capture-payment.use-case';
import { CreatePayment } from './create-payment.use-case';
import { CreateSeriesPayment } from './create-series-payment.use-case';
import { IssueRefund } from './issue-refund.use-case';
import { PaymentQueries } from './payment-queries';
import { ProcessPaymentEvent } from './process-payment-event.use-case';
import { ReceivePayPalWebhook } from './receive-paypal-webhook.use-case';
import { ReconcilePayments } from './reconcile-payments.use-case';
import { RequestCapture } from './request-capture.use-case';
import { RequestRefund } from './request-refund.use-case';

const USE_CASES = [
  CapturePayment,
  CreatePayment,
  CreateSeriesPayment,
  IssueRefund,
  PaymentQueries,
  ProcessPaymentEvent,
  ReceivePayPalWebhook,
  ReconcilePayments,
  RequestCapture,
  RequestRefund,
];

/** Payment use cases for the api (requests, webhooks) and the worker (capture, refunds, reconciliation). */
@Module({
  imports: [PaymentsProviderModule, AuditTrailModule],
  providers: USE_CASES,
  exports: [PaymentsProviderModule, ...USE_CASES],
})
export class PaymentsModule {}
