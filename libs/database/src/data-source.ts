import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { parseEnv } from '@app/config/env.schema';
import { dataSourceOptions } from './data-source-options';

/** The data source of the TypeORM CLI (migration:generate / migration:run). */
export default new DataSource(dataSourceOptions(parseEnv(process.env).DATABASE_URL));
