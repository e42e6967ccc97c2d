import { randomUUID } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ErrorCode, PROBLEM_CONTENT_TYPE } from '@app/common';
import { BEARER_SCHEME } from '@app/auth';
import { generateOpenApiDocument } from '../scripts/openapi-document';
import { TestApp } from './support/test-app';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  label: string;
  op: {
    operationId?: string;
    summary?: string;
    tags?: string[];
    parameters?: { in: string; name: string }[];
    requestBody?: Json;
    responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
    security?: Record<string, string[]>[];
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
/** Probes and scrapes: no input, no authentication, no rate limit, their own answer bodies. */
const OPERATIONS_ENDPOINT = /^\/(health|metrics)(\/|$)/;
const PROBLEM_REF = '#/components/schemas/ProblemDetails';
const FHIR_PATH = /^\/fhir\/R4\//;
const FHIR_CONTENT_TYPE = 'application/fhir+json';
const OUTCOME_REF = '#/components/schemas/FhirOperationOutcome';

function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({
        method,
        path,
        label: `${method.toUpperCase()} ${path}`,
        op: op as Operation['op'],
      })),
  );
}

const CONSTRAINTS = ['enum', 'pattern', 'format', 'minimum', 'maximum', 'minLength', 'maxLength'];

/** A body, or a query parameter the validation pipe checks (required or constrained). */
function takesValidatedInput(op: Operation['op']): boolean {
  const query = (op.parameters ?? []).filter((p) => p.in === 'query') as {
    required?: boolean;
    schema?: Json;
  }[];
  return (
    !!op.requestBody ||
    query.some((p) => p.required || CONSTRAINTS.some((key) => key in (p.schema ?? {})))
  );
}

const isSecured = ({ op }: Operation) => (op.security ?? []).some((s) => Object.keys(s).length > 0);

/** What a frontend developer needs on every operation; one line per gap. */
function gapsOf(operation: Operation): string[] {
  const { op, path, label } = operation;
  const gaps: string[] = [];
  const responses = op.responses ?? {};
  const statuses = Object.keys(responses);
  if (!op.operationId) gaps.push('no operationId');
  if (!op.summary?.trim()) gaps.push('no summary (@ApiOperation({ summary }))');
  if (!op.tags?.length) gaps.push('no tags (@ApiTags)');
  if (!statuses.some((s) => /^2\d\d$/.test(s))) gaps.push('no 2xx response');
  // Header names are case-insensitive: `@Headers('x')` beside `@ApiHeader({ name: 'X' })` is two.
  const params = (op.parameters ?? []).map(
    (p) => `${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`,
  );
  for (const param of params.filter((p, i) => params.indexOf(p) !== i)) {
    gaps.push(`parameter "${param}" documented twice`);
  }
  // The global problem filter writes every error, probes' 503 included.
  if (!statuses.includes('500')) gaps.push('no 500');
  // FHIR routes answer errors as OperationOutcome resources (SPEC §6), everything else problem+json.
  const [errorType, errorRef] = FHIR_PATH.test(path)
    ? [FHIR_CONTENT_TYPE, OUTCOME_REF]
    : [PROBLEM_CONTENT_TYPE, PROBLEM_REF];
  for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
    const content = responses[status].content ?? {};
    if (Object.keys(content).join() !== errorType) {
      gaps.push(`${status} is not only ${errorType}: ${Object.keys(content).join()}`);
    } else if (content[errorType].schema?.$ref !== errorRef) {
      gaps.push(`${status} does not reference ${errorRef.split('/').pop()}`);
    }
  }
  if (!OPERATIONS_ENDPOINT.test(path)) {
    if (takesValidatedInput(op) && !statuses.includes('400')) {
      gaps.push('takes a body or a validated query but documents no 400');
    }
    if (!statuses.includes('429')) gaps.push('no 429 (every route is rate limited)');
  }
  if (isSecured(operation)) {
    if (!op.security!.some((s) => BEARER_SCHEME in s))
      gaps.push(`security is not the "${BEARER_SCHEME}" scheme`);
    if (!statuses.includes('401')) gaps.push('secured but documents no 401');
  }
  return gaps.map((gap) => `${label} (${op.operationId ?? '?'}): ${gap}`);
}

describe('OpenAPI completeness', () => {
  let document: OpenAPIObject;
  let operations: Operation[];

  beforeAll(async () => {
    document = await generateOpenApiDocument();
    operations = operationsOf(document);
  });

  it('documents every operation fully (the list below is what is missing)', () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.flatMap(gapsOf)).toEqual([]);
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('describes problem+json with every error code and the bearer scheme', () => {
    const schemas = document.components!.schemas as Record<string, Json>;
    const problem = schemas.ProblemDetails as {
      properties: Record<string, Json>;
      required: string[];
    };
    expect(problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
    );
    const code = JSON.stringify(problem.properties.code);
    expect(code).toContain('#/components/schemas/ErrorCode');
    expect(schemas.ErrorCode).toEqual({ type: 'string', enum: Object.values(ErrorCode) });
    expect(document.components!.securitySchemes![BEARER_SCHEME]).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  describe('against the running api', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({ worker: false });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('documents the bearer scheme exactly on the routes that answer 401 without a token', async () => {
      const wrong: string[] = [];
      for (const operation of operations) {
        const url = operation.path.replace(/\{[^}]+\}/g, () => randomUUID());
        let call = app.http[operation.method as 'get'](url);
        if (['post', 'put', 'patch'].includes(operation.method)) call = call.send({});
        const { status } = await call;
        if (isSecured(operation) !== (status === 401)) {
          wrong.push(
            `${operation.label}: documented ${isSecured(operation) ? 'secured' : 'public'}, answered ${status} without a token`,
          );
        }
      }
      expect(wrong).toEqual([]);
    });
  });
});
