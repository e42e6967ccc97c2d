export * from './job-options';
export * from './job-producer';
export * from './queue-names';
export * from './queues.module';
export * from './redis-connection';
export * from './job-handler';
export * from './redis.service';
export * from './queue-processor';
