export * from './paypal';
