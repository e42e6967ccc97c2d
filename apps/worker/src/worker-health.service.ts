import { createServer, Server } from 'node:http';
import { hostname } from 'node:os';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { RedisService } from '@app/queues';

const HEARTBEAT_SECONDS = 10;

/**
 * Readiness of a worker: a heartbeat key in Redis (seen by the api and operators) and,
 * when WORKER_HEALTH_PORT is set, GET /health on that port (for container healthchecks).
 */
@Injectable()
export class WorkerHealthService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerHealthService.name);
  private readonly instance = `${hostname()}:${process.pid}`;
  private timer?: NodeJS.Timeout;
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_SECONDS * 1000);
    this.timer.unref();
    if (this.config.workerHealthPort > 0) {
      this.server = createServer((req, res) => {
        void this.isReady().then((ready) => {
          res.writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status: ready ? 'ok' : 'error' }));
        });
      });
      this.server.listen(this.config.workerHealthPort, '0.0.0.0');
    }
  }

  async isReady(): Promise<boolean> {
    try {
      await Promise.all([this.redis.ping(), this.db.query('SELECT 1')]);
      return true;
    } catch {
      return false;
    }
  }

  private async beat(): Promise<void> {
    try {
      await this.redis.client.set(
        this.redis.key('worker', 'heartbeat', this.instance),
        new Date().toISOString(),
        'EX',
        HEARTBEAT_SECONDS * 3,
      );
    } catch (error) {
      this.logger.warn(
        `Heartbeat failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Before Redis and PostgreSQL connections close, so the heartbeat can still be removed. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    await this.redis.client
      .del(this.redis.key('worker', 'heartbeat', this.instance))
      .catch(() => undefined);
  }
}
