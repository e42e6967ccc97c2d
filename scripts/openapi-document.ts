import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { ApiModule } from '../apps/api/src/api.module';
import { FHIR_PREFIX_EXCLUDE } from '../apps/api/src/fhir/fhir-http';
import { buildOpenApiDocument } from '../apps/api/src/openapi';

/**
 * Same prefix as createApiApp (apps/api/src/bootstrap.ts). test/openapi.e2e-spec.ts compares
 * the result with /docs-json of the running app, so a drift here fails the tests.
 */
const GLOBAL_PREFIX = 'api/v1';
const PREFIX_EXCLUDE = [
  'health/live',
  'health/ready',
  'metrics',
  'admin/queues',
  'admin/queues/{*path}',
  ...FHIR_PREFIX_EXCLUDE,
  'calendar/{*path}',
];

const TOP_LEVEL_ORDER = [
  'openapi',
  'info',
  'servers',
  'security',
  'tags',
  'paths',
  'webhooks',
  'components',
];
const METHOD_ORDER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The api's OpenAPI document without PostgreSQL or Redis: in preview mode Nest scans the
 * module graph but instantiates no provider, so nothing connects.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  // Built-in defaults only: the committed document must not depend on the local environment.
  const config = AppConfig.fromEnv({ NODE_ENV: 'development' });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config),
    new FastifyAdapter(),
    {
      preview: true,
      abortOnError: false,
      logger: false,
    },
  );
  try {
    app.setGlobalPrefix(GLOBAL_PREFIX, { exclude: PREFIX_EXCLUDE });
    return canonicalOpenApi(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

function byKeys<T>(
  object: Record<string, T>,
  compare: (a: string, b: string) => number,
): Record<string, T> {
  return Object.fromEntries(
    Object.keys(object)
      .sort(compare)
      .map((key) => [key, object[key]]),
  );
}

const alphabetical = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function ranked(order: string[]): (a: string, b: string) => number {
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return (a, b) => rank(a) - rank(b) || alphabetical(a, b);
}

/**
 * A canonical key order, so that moving a controller or a module import does not reorder
 * the committed file: paths and component maps alphabetically, methods and responses in
 * their natural order. Inside schemas the declared order is kept (it is the DTO's order).
 */
export function canonicalOpenApi(document: OpenAPIObject): OpenAPIObject {
  const copy = JSON.parse(JSON.stringify(document)) as OpenAPIObject;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(byKeys(copy.paths, alphabetical))) {
    const operations = byKeys(item as Record<string, unknown>, ranked(METHOD_ORDER));
    for (const operation of Object.values(operations)) {
      const op = operation as { responses?: Record<string, unknown> };
      if (op && typeof op === 'object' && op.responses)
        op.responses = byKeys(op.responses, alphabetical);
    }
    paths[path] = operations;
  }
  copy.paths = paths;
  if (copy.components) {
    const components = copy.components as Record<string, Record<string, unknown>>;
    for (const section of Object.keys(components))
      components[section] = byKeys(components[section], alphabetical);
    copy.components = byKeys(components, alphabetical);
  }
  if (copy.tags) copy.tags = [...copy.tags].sort((a, b) => alphabetical(a.name, b.name));
  return byKeys(
    copy as unknown as Record<string, unknown>,
    ranked(TOP_LEVEL_ORDER),
  ) as unknown as OpenAPIObject;
}

/** 2-space JSON with a trailing newline: the exact bytes of the committed openapi.json. */
export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
