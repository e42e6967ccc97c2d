import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from '@app/config';
import { QueueName } from '../queue-names';
import { WorkItems } from '../work/work-items';
import { defineJob, definedJobs, JobDefinition } from './job-definition';
import { JOB_HANDLERS, JobHandler, JobHandlerRegistry } from './job-handler';

const first = defineJob<{ id: string }>({
  name: 'test.first',
  queue: QueueName.System,
  id: ({ id }) => `first-${id}`,
});
const second = defineJob<{ id: string }>({
  name: 'test.second',
  queue: QueueName.System,
  id: ({ id }) => `second-${id}`,
});

function handlerOf(job: JobDefinition<{ id: string }>) {
  @Injectable()
  class Handler extends JobHandler<{ id: string }> {
    readonly job = job;
    async run({ id }: { id: string }) {
      return `${job.name}:${id}`;
    }
  }
  return new Handler();
}

async function boot(handlers: JobHandler<{ id: string }>[]): Promise<JobHandlerRegistry> {
  // Only this file's jobs are in scope: the real worker registers every definition it loads.
  const others = definedJobs().filter((job) => !job.name.startsWith('test.'));
  const extra = others.map((job) => {
    @Injectable()
    class Other extends JobHandler<object> {
      readonly job = job;
      async run() {
        return null;
      }
    }
    return new Other();
  });
  const moduleRef = await Test.createTestingModule({
    providers: [
      JobHandlerRegistry,
      { provide: JOB_HANDLERS, useValue: [...handlers, ...extra] },
      { provide: AppConfig, useValue: {} },
      { provide: WorkItems, useValue: { markDone: async () => undefined } },
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(JobHandlerRegistry);
}

describe(JobHandlerRegistry.name, () => {
  it('starts when every defined job has exactly one handler, and dispatches by name', async () => {
    const registry = await boot([handlerOf(first), handlerOf(second)]);
    await expect(
      registry.dispatch({ name: 'test.second', data: { id: '7' }, attemptsMade: 0 } as never),
    ).resolves.toBe('test.second:7');
  });

  it('refuses to start when a defined job has no handler', async () => {
    await expect(boot([handlerOf(first)])).rejects.toThrow('no handler for job test.second');
  });

  it('refuses to start when a job has two handlers', async () => {
    await expect(boot([handlerOf(first), handlerOf(second), handlerOf(second)])).rejects.toThrow(
      'job test.second has two handlers',
    );
  });

  it('refuses a second definition with the same name', () => {
    expect(() => defineJob({ name: 'test.first', queue: QueueName.System, id: () => 'x' })).toThrow(
      'Job test.first is defined twice',
    );
  });

  it('derives deterministic job ids from the data', () => {
    expect(first.with({ id: 'a' })).toEqual({
      name: 'test.first',
      queue: QueueName.System,
      jobId: 'first-a',
      data: { id: 'a' },
      runAt: null,
    });
  });
});
