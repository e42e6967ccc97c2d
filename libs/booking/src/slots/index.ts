export * from './local-time';
export * from './slot-engine';
export * from './slot.service';
export * from './slots.module';
