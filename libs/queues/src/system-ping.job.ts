import { Injectable } from '@nestjs/common';
import { defineJob, JobHandler } from './jobs';
import { QueueName } from './queue-names';

export interface SystemPingData {
  token: string;
}

/** Proves the api → Redis → worker wiring end to end. */
export const systemPingJob = defineJob<SystemPingData>({
  name: 'system.ping',
  queue: QueueName.System,
  id: ({ token }) => `ping-${token}`,
});

@Injectable()
export class SystemPingHandler extends JobHandler<SystemPingData> {
  readonly job = systemPingJob;

  async run({ token }: SystemPingData): Promise<{ pong: string; at: string }> {
    return { pong: token, at: new Date().toISOString() };
  }
}
