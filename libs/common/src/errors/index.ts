export * from './domain-error';
export * from './error-codes';
export * from './problem';
export * from './problem.filter';
export * from './validation';
