export * from './paypal';
export * from './payments';
