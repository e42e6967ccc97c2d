export * from './database.module';
export * from './database-setup';
export * from './data-source-options';
export * from './entities';
export * from './enums';
export * from './snake-naming.strategy';
