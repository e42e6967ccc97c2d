import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, JobPayloads } from '@app/queues';

@Injectable()
export class SystemHandlers {
  /** Proves the api → Redis → worker wiring end to end. */
  @JobHandler(JobName.SystemPing)
  async ping(data: JobPayloads[JobName.SystemPing]): Promise<{ pong: string; at: string }> {
    return { pong: data.token, at: new Date().toISOString() };
  }
}
