import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApiDocument, serializeOpenApi } from './openapi-document';

/** `npm run openapi`: writes openapi.json at the repository root (no database or Redis needed). */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'openapi.json');
  const document = await generateOpenApiDocument();
  writeFileSync(target, serializeOpenApi(document));
  const operations = Object.values(document.paths).reduce(
    (n, item) => n + Object.keys(item).length,
    0,
  );
  process.stdout.write(
    `wrote ${target}: ${Object.keys(document.paths).length} paths, ${operations} operations\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
