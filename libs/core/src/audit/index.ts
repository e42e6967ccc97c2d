export * from './audit-actions';
export * from './audit-trail';
export * from './audit-trail.module';
