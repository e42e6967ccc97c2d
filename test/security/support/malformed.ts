import fc from 'fast-check';
import { isUuid } from '@app/common';
import { RawRequest, searchOf } from './http';
import { Operation, Schema } from './openapi';

/** An operation with a caller that passes its guard and a request the API accepts. */
export interface Target {
  op: Operation;
  token?: string;
  /** Path with real ids, without the query. */
  path: string;
  query: Record<string, string | string[]>;
  body?: Record<string, unknown>;
  /** Property schemas of the body, $refs resolved. */
  properties: Record<string, Schema>;
  required: string[];
}

export interface Generated {
  category: string;
  req: RawRequest;
}

/** Fields a client must never set itself (mass assignment). */
const PRIVILEGED = [
  'status',
  'role',
  'paidAt',
  'doctorId',
  'patientId',
  'id',
  'userId',
  'isAdmin',
  'deactivatedAt',
  'emailVerifiedAt',
  'tokenVersion',
  'passwordHash',
  'capturedAt',
  'amount',
  'feeMinor',
  'createdAt',
  'cancelledBy',
];
const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const BOOLEAN_LIKE = /^(true|false|1|0|yes|no|on|off)$/i;

const isDateField = (name: string, schema: Schema) =>
  schema.format === 'date-time' ||
  schema.format === 'date' ||
  /^\^\\d\{4\}/.test(schema.pattern ?? '') ||
  /(At|^from|^to)$/.test(name);

const typeOf = (schema: Schema): string =>
  schema.type ?? (schema.properties ? 'object' : schema.enum ? typeof schema.enum[0] : 'unknown');

/**
 * A value of any JSON type but the one the schema asks for. Null only where the field is
 * required: an optional field takes null as "not given" (see `null in optional fields`).
 */
export function wrongType(schema: Schema, required: boolean): fc.Arbitrary<unknown> {
  const type = typeOf(schema);
  const options: fc.Arbitrary<unknown>[] = [];
  if (type !== 'string') {
    options.push(
      fc.string({ maxLength: 40 }).filter((s) => !NUMERIC.test(s) && !BOOLEAN_LIKE.test(s.trim())),
    );
  }
  if (type !== 'number' && type !== 'integer')
    options.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })));
  if (type !== 'boolean') options.push(fc.boolean());
  if (type !== 'object')
    options.push(
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    );
  if (type !== 'array') options.push(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }));
  if (!schema.nullable && required) options.push(fc.constant(null));
  return fc.oneof(...options);
}

/** Strings that are no UUID, some of them close. */
export const notAUuid: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !isUuid(s)),
  fc.uuid().map((u) => `${u}0`),
  fc.uuid().map((u) => u.slice(0, -1)),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u.slice(0, -1)}g`),
  fc.constantFrom(
    "' OR '1'='1",
    '1; DROP TABLE users',
    '../../etc/passwd',
    '%00',
    '{"$ne":null}',
    '*',
    'null',
    '0',
    '-1',
    '\u0000',
    'ö'.repeat(40),
    'x'.repeat(5000),
  ),
);

/** Strings that are no ISO 8601 date or instant. */
export const notADate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'yesterday',
    'now',
    '',
    ' ',
    'null',
    '2027-02-30',
    '2027-13-01',
    '2027-00-10',
    '27-01-01',
    '2027-02-30T10:00:00Z',
    '2027-01-01T25:00:00Z',
    '2027-01-01T10:61:00Z',
    '2027/01/01',
    '01/02/2027',
    '2027-01-01T10:00:00+25:00',
    '+275760-09-13T00:00:00.001Z',
    '2027-01-01T10:00:00ZZ',
    'Infinity',
    'NaN',
  ),
  fc.integer({ min: 13, max: 99 }).map((month) => `2027-${month}-01T10:00:00Z`),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/\d{4}/.test(s)),
);

const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** JSON of `body` with property `name` set to raw JSON text. */
function withRaw(body: Record<string, unknown>, name: string, raw: string): string {
  const marker = `__raw_${Math.random().toString(36).slice(2)}__`;
  return JSON.stringify({ ...body, [name]: marker }).replace(`"${marker}"`, raw);
}

function request(target: Target, overrides: Partial<RawRequest> & { query?: string }): RawRequest {
  const query = overrides.query ?? searchOf(target.query).toString();
  return {
    method: target.op.method,
    url: `${overrides.url ?? target.path}${query ? `?${query}` : ''}`,
    token: target.token,
    headers: overrides.headers,
    body: 'body' in overrides ? overrides.body : target.body,
    rawBody: overrides.rawBody,
  };
}

const pick = <T>(items: T[]) => fc.constantFrom(...items);

/** Generators of invalid requests per category, over the targets that can take each one. */
export function generators(
  targets: Target[],
  bodyLimit: number,
): Record<string, fc.Arbitrary<Generated>> {
  const withBody = targets.filter((t) => t.body && Object.keys(t.properties).length > 0);
  const withRequired = withBody.filter((t) => t.required.length > 0);
  const withPath = targets.filter((t) => t.op.pathParams.length > 0);
  const withQuery = targets.filter((t) =>
    t.op.queryParams.some((p) => badQueryValue(p.name, p.schema ?? {})),
  );
  const writes = targets.filter((t) => t.op.method !== 'GET');
  const as =
    (category: string) =>
    (req: RawRequest): Generated => ({ category, req });
  const property = (t: Target) => pick(Object.entries(t.properties));
  const propertiesWhere = (predicate: (name: string, s: Schema) => boolean) =>
    withBody.flatMap((t) =>
      Object.entries(t.properties)
        .filter(([n, s]) => predicate(n, s))
        .map(([n, s]) => ({ t, n, s })),
    );

  const stringProps = propertiesWhere((_, s) => typeOf(s) === 'string');
  const arrayProps = propertiesWhere((_, s) => typeOf(s) === 'array');
  const uuidProps = propertiesWhere((_, s) => s.format === 'uuid' || s.items?.format === 'uuid');
  const dateProps = propertiesWhere((n, s) => typeOf(s) === 'string' && isDateField(n, s));
  const optionalProps = propertiesWhere((n, s) => !s.nullable).filter(
    ({ t, n }) => !t.required.includes(n),
  );

  const result: Record<string, fc.Arbitrary<Generated>> = {
    'missing required fields': pick(withRequired).chain((t) =>
      fc.subarray(t.required, { minLength: 1 }).map((missing) => {
        const body = { ...t.body };
        for (const name of missing) delete body[name];
        return as('missing required fields')(request(t, { body }));
      }),
    ),
    'wrong types': pick(withBody).chain((t) =>
      property(t).chain(([name, schema]) =>
        wrongType(schema, t.required.includes(name)).map((value) =>
          as('wrong types')(request(t, { body: { ...t.body, [name]: value } })),
        ),
      ),
    ),
    'privileged or unknown properties': pick(withBody).chain((t) =>
      fc
        .tuple(
          fc.oneof(
            pick(PRIVILEGED),
            fc.constantFrom('__proto__', 'constructor', 'prototype'),
            fc.string({ minLength: 1, maxLength: 20 }),
          ),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .filter(([name]) => !(name in t.properties))
        .map(([name, value]) =>
          // An own property named __proto__ must reach the wire, so the JSON is built by hand.
          as('privileged or unknown properties')(
            request(t, {
              rawBody: withRaw(t.body!, name, JSON.stringify(value ?? null)),
              headers: { 'Content-Type': 'application/json' },
            }),
          ),
        ),
    ),
    'huge strings': pick(stringProps).chain(({ t, n, s }) =>
      fc
        .oneof(
          fc.integer({ min: 1, max: 64 }).map((extra) => (s.maxLength ?? 4096) + extra),
          fc.constant(bodyLimit - JSON.stringify(t.body).length - 64), // just under the body limit
          fc.constant(bodyLimit + 1), // over it
        )
        .map((length) =>
          as('huge strings')(request(t, { body: { ...t.body, [n]: 'x'.repeat(length) } })),
        ),
    ),
    'huge arrays': fc.oneof(
      pick(arrayProps.length ? arrayProps : stringProps).chain(({ t, n, s }) =>
        fc.integer({ min: Math.max((s.maxItems ?? 1000) + 1, 1), max: 20_000 }).map((length) =>
          as('huge arrays')(
            request(t, {
              body: {
                ...t.body,
                [n]: Array.from({ length }, (_, i) =>
                  s.items?.format === 'uuid'
                    ? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
                    : i,
                ),
              },
            }),
          ),
        ),
      ),
      pick(withBody).chain((t) =>
        fc
          .integer({ min: 1000, max: 20_000 })
          .map((length) =>
            as('huge arrays')(request(t, { body: Array.from({ length }, () => t.body) as never })),
          ),
      ),
    ),
    'deep nesting': pick(withBody).chain((t) =>
      fc
        .tuple(property(t), fc.integer({ min: 50, max: 50_000 }), fc.boolean())
        .map(([[name], depth, objects]) =>
          as('deep nesting')(
            request(t, {
              rawBody: withRaw(t.body!, name, objects ? deepObject(depth) : deepArray(depth)),
              headers: { 'Content-Type': 'application/json' },
            }),
          ),
        ),
    ),
    'invalid UUIDs in bodies': pick(uuidProps).chain(({ t, n, s }) =>
      notAUuid.map((value) =>
        as('invalid UUIDs in bodies')(
          request(t, { body: { ...t.body, [n]: typeOf(s) === 'array' ? [value] : value } }),
        ),
      ),
    ),
    'invalid dates': pick(dateProps).chain(({ t, n }) =>
      notADate.map((value) => as('invalid dates')(request(t, { body: { ...t.body, [n]: value } }))),
    ),
    'bodies that are not objects': pick(withBody).chain((t) =>
      // A null body counts as an empty one: only a body with required fields must refuse it.
      fc
        .oneof(
          fc.constant(t.required.length ? null : 'not an object'),
          fc.string(),
          fc.integer(),
          fc.boolean(),
          fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
        )
        .map((value) =>
          as('bodies that are not objects')(
            request(t, {
              rawBody: JSON.stringify(value),
              headers: { 'Content-Type': 'application/json' },
            }),
          ),
        ),
    ),
    'bad JSON': pick(writes).chain((t) =>
      fc
        .oneof(
          fc.constantFrom(
            '{',
            '{"a":',
            '[',
            'nul',
            "{'a':1}",
            '{"a":1,}',
            '{"a" 1}',
            '{"a":01}',
            '{"a":"\\x"}',
            '\uFEFF{}x',
            'undefined',
            '{"a":NaN}',
          ),
          fc.string({ minLength: 1, maxLength: 50 }).map((s) => `{${s}`),
        )
        // `{` + `}` is valid JSON: keep only bodies that really fail to parse.
        .filter((raw) => !parsesAsJson(raw))
        .map((raw) =>
          as('bad JSON')(
            request(t, { rawBody: raw, headers: { 'Content-Type': 'application/json' } }),
          ),
        ),
    ),
    'wrong content types': pick(writes).chain((t) => {
      const types = [
        'application/xml',
        'text/xml',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'image/png',
        'application/json-patch+json',
        'application/javascript',
        // What fetch sends for a string body, and an HTML form: refused (415) like the rest.
        'text/plain',
        'application/x-www-form-urlencoded',
      ];
      return pick(types).map((type) =>
        as('wrong content types')(
          request(t, {
            rawBody: JSON.stringify(t.body ?? { a: 1 }),
            headers: { 'Content-Type': type },
          }),
        ),
      );
    }),
  };

  // Accepted as "not given" or refused, but never a 5xx: the last category, it may write.
  result['null in optional fields'] = pick(optionalProps).map(({ t, n }) =>
    as('null in optional fields')(request(t, { body: { ...t.body, [n]: null } })),
  );
  if (withPath.length) {
    result['invalid ids in paths'] = pick(withPath).chain((t) =>
      fc.oneof(notAUuid, fc.uuid()).map((value) => {
        const [param] = t.op.pathParams;
        const real = t.path.split('/')[t.op.path.split('/').indexOf(`{${param.name}}`)];
        return as('invalid ids in paths')(
          request(t, { url: t.path.replace(real, encodeURIComponent(value)) }),
        );
      }),
    );
  }
  if (withQuery.length) {
    result['odd query parameters'] = pick(withQuery).chain((t) =>
      fc
        .oneof(
          pick(t.op.queryParams.filter((p) => badQueryValue(p.name, p.schema ?? {}))).chain((p) =>
            badQueryValue(p.name, p.schema ?? {})!.map((v) => ({ ...t.query, [p.name]: v })),
          ),
          fc
            .tuple(
              fc.oneof(
                pick(PRIVILEGED),
                fc.constantFrom(
                  '__proto__[x]',
                  'constructor[prototype][x]',
                  'page[]',
                  'x'.repeat(300),
                ),
              ),
              fc.string({ maxLength: 20 }),
            )
            .filter(([name]) => !t.op.queryParams.some((p) => p.name === name))
            .map(([name, value]) => ({ ...t.query, [name]: value })),
        )
        .map((query) =>
          as('odd query parameters')(request(t, { query: searchOf(query).toString() })),
        ),
    );
  }
  return result;
}

/** A query value that breaks the parameter's schema (none for unconstrained strings). */
function badQueryValue(name: string, schema: Schema): fc.Arbitrary<string> | undefined {
  const type = typeOf(schema);
  if (type === 'number' || type === 'integer') {
    return fc.oneof(
      fc.constantFrom('abc', '', '1.5', '1e3x', 'NaN', '-1', '0', '99999999999999999999', '[]'),
      fc.integer({ min: (schema.maximum ?? 1e9) + 1, max: 2 ** 31 }).map(String),
    );
  }
  if (type === 'boolean') return fc.constantFrom('yes', 'maybe', '2', 'TRUEISH', '');
  if (schema.enum || schema.$ref)
    return fc.string({ maxLength: 20 }).map((s) => `not-a-value-${s}`);
  if (schema.format === 'uuid') return notAUuid;
  if (isDateField(name, schema)) return notADate.filter((v) => v !== '');
  if (schema.maxLength)
    return fc
      .integer({ min: schema.maxLength + 1, max: schema.maxLength + 5000 })
      .map((n) => 'q'.repeat(n));
  return undefined;
}

function parsesAsJson(raw: string): boolean {
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}
