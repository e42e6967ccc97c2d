import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis.health';
import { ShutdownDrain } from './shutdown-drain';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, ShutdownDrain],
  exports: [ShutdownDrain],
})
export class HealthModule {}
