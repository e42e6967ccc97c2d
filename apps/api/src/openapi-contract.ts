import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@app/common';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const PROBLEM_REF = '#/components/schemas/ProblemDetails';
const SCHEMA_PREFIX = '#/components/schemas/';
const INTEGER = { type: 'integer', format: 'int32', minimum: 0 };
const PROBLEM_CONTENT = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_REF } } };

/** What @nestjs/throttler writes for the route's own limit (RATE_LIMIT_PER_MINUTE or the auth one). */
const RATE_LIMIT_HEADERS: Record<string, Json> = {
  'X-RateLimit-Limit': { description: 'Requests allowed per window', schema: INTEGER },
  'X-RateLimit-Remaining': { description: 'Requests left in this window', schema: INTEGER },
  'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: INTEGER },
};

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the server does that decorators cannot say one route at a time: the problem filter
 * writes every error (and a 500 can happen on every route), every `:id` goes through a UUID pipe, and the validation pipe
 * (whitelist + forbidNonWhitelisted) refuses unknown fields of every request body with a 400.
 */
export function tightenContract(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  const requestSchemas = new Set<string>();
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, ...RATE_LIMIT_HEADERS },
  };
  for (const item of Object.values(document.paths) as Json[]) {
    for (const method of METHODS.filter((m) => isObject(item[m]))) {
      const operation = item[method] as Json;
      const responses = (operation.responses ?? {}) as Json;
      responses['500'] ??= {
        description: 'INTERNAL: an unexpected error; the body carries only the request id to quote',
      };
      for (const [status, response] of Object.entries(responses) as [string, Json][]) {
        // The global problem filter writes every error, also those a library declared (terminus' 503).
        if (/^[45]/.test(status)) response.content = PROBLEM_CONTENT;
        // Rate-limited routes (those with a 429; not probes and scrapes) pass the throttler
        // before any answer but a 5xx or a body the parser refused.
        if ('429' in responses && /^[24]/.test(status)) {
          const headers = (response.headers ?? {}) as Json;
          for (const name of Object.keys(RATE_LIMIT_HEADERS))
            headers[name] ??= { $ref: `#/components/headers/${name}` };
          response.headers = headers;
        }
      }
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        const schema = parameter.schema as Json | undefined;
        if (parameter.in === 'path' && parameter.name === 'id' && schema?.type === 'string') {
          schema.format ??= 'uuid';
        }
      }
      const body = (operation.requestBody as Json | undefined)?.content as Json | undefined;
      for (const media of Object.values(body ?? {}) as Json[]) {
        closeObjects(media.schema, schemas, requestSchemas);
      }
    }
  }
  walk(document, (node) => {
    // Every integer here is a count, a page size or minutes: 32 bits are plenty.
    if (node.type === 'integer') node.format ??= 'int32';
  });
  return document;
}

/** `additionalProperties: false` on the schema and every object it reaches, unless it says otherwise. */
function closeObjects(schema: unknown, schemas: Record<string, Json>, seen: Set<string>): void {
  walk(schema, (node) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith(SCHEMA_PREFIX)) {
      const name = node.$ref.slice(SCHEMA_PREFIX.length);
      if (!seen.has(name) && schemas[name]) {
        seen.add(name);
        closeObjects(schemas[name], schemas, seen);
      }
    }
    if (
      (node.type === 'object' || isObject(node.properties)) &&
      !('additionalProperties' in node)
    ) {
      node.additionalProperties = false;
    }
  });
}

function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item) => walk(item, visit));
  } else if (isObject(value)) {
    visit(value);
    Object.values(value).forEach((child) => walk(child, visit));
  }
}
