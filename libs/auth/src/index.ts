export * from './access.guard';
export * from './auth-core.module';
export * from './auth-user';
export * from './decorators';
export * from './jwt.strategy';
export * from './public.decorator';
