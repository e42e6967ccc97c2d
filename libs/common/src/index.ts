export * from './errors';
export * from './ids';
export * from './pagination';
export * from './money/money';
export * from './http/api-problems.decorator';
export * from './http/id-param.pipe';
export * from './http/json-shape';
export * from './http/trim';
