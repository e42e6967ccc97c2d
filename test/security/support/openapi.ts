/** A JSON schema as /docs-json carries it (OpenAPI 3.0 subset the suites read). */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  example?: unknown;
  default?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  /** `METHOD /path/{param}`, the key of the access rules. */
  key: string;
  method: string;
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON request body schema, $refs resolved at the top level. */
  body?: Schema;
  /** Documented as needing the bearer scheme. */
  secured: boolean;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const params = op.parameters ?? [];
      const json = op.requestBody?.content?.['application/json']?.schema;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: json ? resolve(doc, json) : undefined,
        secured: (op.security ?? []).length > 0,
      });
    }
  }
  return operations;
}

/** Follows `$ref` (and a single-element allOf, as Nest emits for referenced DTOs). */
export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`Unresolved schema ${schema.$ref}`);
    return resolve(doc, { ...target, nullable: schema.nullable ?? target.nullable });
  }
  if (schema.allOf?.length === 1)
    return resolve(doc, { ...schema.allOf[0], nullable: schema.nullable });
  return schema;
}

/** The path with every parameter (all of them ids in this API) set to `id`. */
export function withId(path: string, id: string | undefined): string {
  if (id === undefined && path.includes('{'))
    throw new Error(`No id for the parameters of ${path}`);
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(id ?? ''));
}
