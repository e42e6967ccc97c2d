export * from './erase-account.use-case';
export * from './export-personal-data.use-case';
export * from './personal-data-sections';
export * from './privacy.module';
