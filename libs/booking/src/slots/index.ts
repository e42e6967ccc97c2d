export * from './local-time';
export * from './slot-engine';
