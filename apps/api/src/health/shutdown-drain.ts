import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';

/**
 * Draining on SIGTERM: readiness fails at once so the load balancer stops sending new
 * requests, while this instance keeps serving for SHUTDOWN_DRAIN_MS; only then does the
 * server close (finishing what is in flight). A close without a signal (tests) does not wait.
 */
@Injectable()
export class ShutdownDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private drained?: Promise<void>;

  constructor(private readonly config: AppConfig) {}

  get draining(): boolean {
    return this.drained !== undefined;
  }

  /** Starts the drain (once); resolves when the delay has passed. */
  begin(signal?: string): Promise<void> {
    this.drained ??= (async () => {
      const delay = signal ? this.config.http.shutdownDrainMs : 0;
      this.logger.log(
        `${signal ?? 'Close'}: readiness now fails; serving for ${delay} ms more, then closing`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      this.logger.log('Drain over: closing the server after the requests in flight');
    })();
    return this.drained;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    await this.begin(signal);
  }
}
