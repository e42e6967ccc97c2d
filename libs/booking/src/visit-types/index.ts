export * from './intake';
export * from './visit-type.errors';
export * from './visit-type-view';
export * from './visit-types.service';
