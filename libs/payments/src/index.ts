export * from './paypal';
export * from './payments';
export * from './jobs';
export * from './privacy/payment-data.section';
