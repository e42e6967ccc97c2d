import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@app/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '@app/auth';
import { RedisHealthIndicator } from './redis.health';
import { ShutdownDrain } from './shutdown-drain';

@ApiTags('health')
@Public()
@Controller({ path: 'health' })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly drain: ShutdownDrain,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** The process is up (no dependencies checked); stays 200 while it drains. */
  @Get('live')
  @ApiOperation({ operationId: 'healthLive' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** PostgreSQL and Redis answer and the instance is not shutting down: it can take traffic. */
  @Get('ready')
  @ApiOperation({ operationId: 'healthReady' })
  @ApiProblems([503, 'A dependency is down, or the instance is draining before it stops'])
  @HealthCheck()
  ready() {
    return this.health.check([
      () => {
        const check = this.indicator.check('lifecycle');
        return this.drain.draining ? check.down({ message: 'shutting down' }) : check.up();
      },
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.redis.isHealthy('redis'),
    ]);
  }
}
