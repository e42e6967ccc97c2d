export * from './app-config';
export * from './config.module';
export { ConfigError, DEV_JWT_SECRET, EnvSchema, parseEnv } from './env.schema';
