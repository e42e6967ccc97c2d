import type { FastifyInstance } from 'fastify';
import { DomainError, ErrorCode, PROBLEM_CONTENT_TYPE, ProblemDetails } from '@app/common';
import { problemToOutcome } from './operation-outcome';

/** Where the FHIR facade lives, outside the /api/v1 prefix. */
export const FHIR_BASE = '/fhir/R4';
/** For `setGlobalPrefix(..., { exclude })`: every FHIR route keeps its own path. */
export const FHIR_PREFIX_EXCLUDE = ['fhir/R4/{*path}'];
export const FHIR_CONTENT_TYPE = 'application/fhir+json';

const FHIR_MEDIA_TYPE = /^application\/fhir\+json\s*(;|$)/i;

const isFhirUrl = (url: string) => url === FHIR_BASE || url.startsWith(`${FHIR_BASE}/`);

/**
 * The FHIR wire format on /fhir/R4: `application/fhir+json` requests are read (on these
 * routes only; elsewhere they stay 415), every answer is `application/fhir+json`, and every
 * error — whichever layer wrote it as problem+json (guards, the rate limiter, the router,
 * the body parser, the use cases) — goes out as an OperationOutcome with the same status.
 * Register before compression, like the conditional GETs.
 */
export function registerFhirHttp(fastify: FastifyInstance): void {
  // Fastify's own JSON parser (prototype poisoning refused), as for application/json.
  fastify.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string' },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  fastify.addHook('onRequest', async (request, reply) => {
    if (isFhirUrl(request.url.split('?')[0])) {
      // Personal or changing by the minute, like /api: public reads say otherwise themselves.
      reply.header('Cache-Control', 'no-store');
      return;
    }
    const type = request.headers['content-type'];
    if (typeof type === 'string' && FHIR_MEDIA_TYPE.test(type))
      throw new DomainError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `Unsupported Media Type: ${type} is only read under ${FHIR_BASE}`,
      );
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!isFhirUrl(request.url.split('?')[0])) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith(PROBLEM_CONTENT_TYPE) && typeof payload === 'string') {
      reply.header('Content-Type', `${FHIR_CONTENT_TYPE}; charset=utf-8`);
      return JSON.stringify(problemToOutcome(JSON.parse(payload) as ProblemDetails));
    }
    if (type.startsWith('application/json'))
      reply.header('Content-Type', `${FHIR_CONTENT_TYPE}; charset=utf-8`);
    return payload;
  });
}
