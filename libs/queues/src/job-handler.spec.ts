import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JobHandler, JobHandlerRegistry } from './job-handler';
import { JobName } from './queue-names';

function handlersFor(names: JobName[]) {
  @Injectable()
  class Handlers {}
  for (const name of names) {
    const method = `handle_${name.replace(/\W/g, '_')}`;
    Object.defineProperty(Handlers.prototype, method, {
      value: async () => name,
      writable: true,
      configurable: true,
    });
    JobHandler(name)(
      Handlers.prototype,
      method,
      Object.getOwnPropertyDescriptor(Handlers.prototype, method)!,
    );
  }
  return Handlers;
}

async function boot(...providers: ReturnType<typeof handlersFor>[]): Promise<JobHandlerRegistry> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobHandlerRegistry, ...providers],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(JobHandlerRegistry);
}

describe(JobHandlerRegistry.name, () => {
  const all = Object.values(JobName);

  it('starts when every job name has exactly one handler, and dispatches by name', async () => {
    const registry = await boot(handlersFor(all));
    await expect(registry.dispatch({ name: JobName.SystemPing } as never)).resolves.toBe(
      JobName.SystemPing,
    );
  });

  it('refuses to start when a job name has no handler', async () => {
    await expect(boot(handlersFor(all.slice(1)))).rejects.toThrow(`no handler for job ${all[0]}`);
  });

  it('refuses to start when a job name has two handlers', async () => {
    await expect(boot(handlersFor(all), handlersFor([JobName.SystemPing]))).rejects.toThrow(
      `job ${JobName.SystemPing} has 2 handlers`,
    );
  });
});
