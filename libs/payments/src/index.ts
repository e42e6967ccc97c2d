export * from './paypal';
export * from './payments';
export * from './jobs';
