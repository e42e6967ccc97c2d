export * from './capture-payment.job';
export * from './issue-refund.job';
export * from './payment-webhook.job';
export * from './reconcile-payments.job';
