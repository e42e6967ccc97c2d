import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@app/config';
import { bootLogger, prepareDatabase } from '@app/core';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await prepareDatabase(config, bootLogger(config, 'api', 'Database'));
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
  new Logger('Api').log(
    `Listening on http://${config.http.host}:${config.http.port} (docs at /docs)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
