import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@app/common';

/** The only request body the API reads; Fastify answers anything else 415. */
const UNREAD_BODY_TYPES = ['text/plain', 'application/x-www-form-urlencoded'];

/**
 * Drops the text and form parsers (Fastify's and Nest's defaults): no route documents them,
 * and a JSON string sent as text/plain must be 415, not a list of invented field errors.
 * Call after `app.init()`, which registers Nest's parsers.
 */
export function refuseUndocumentedBodies(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser(UNREAD_BODY_TYPES);
}

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/**
 * A wrong method on an existing path is 405 with `Allow`; a path nobody serves stays 404.
 * Register before the routes: it learns them as they are added.
 */
export function answerWrongMethods(fastify: FastifyInstance): void {
  const paths = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    // The CORS preflight (`OPTIONS *`) and wildcard mounts would make every path "known".
    if (route.url.includes('*')) return;
    const known = paths.get(route.url) ?? { pattern: pathPattern(route.url), methods: new Set() };
    for (const method of [route.method].flat()) known.methods.add(method.toUpperCase());
    paths.set(route.url, known);
  });
  // preHandler: the CORS headers are on the reply by then, so a browser can read the 405.
  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const known of paths.values()) {
      if (known.pattern.test(path)) known.methods.forEach((m) => allowed.add(m));
    }
    if (allowed.size === 0 || allowed.has(request.method)) return;
    reply.header('Allow', [...allowed].sort().join(', '));
    throw new DomainError(
      ErrorCode.METHOD_NOT_ALLOWED,
      `${request.method} is not allowed on ${path}; use ${[...allowed].sort().join(', ')}`,
    );
  });
}

function pathPattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Conditional GETs of answers marked `public` (@PublicCache): a weak ETag of the body, 304 on
 * a matching If-None-Match. Weak, because compression changes the bytes, not the content.
 */
export function answerConditionalGets(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const cacheControl = reply.getHeader('cache-control');
    if (typeof cacheControl !== 'string' || !cacheControl.startsWith('public')) return payload;
    // An error of a public read (404, 400) is not worth keeping.
    if (reply.statusCode !== 200) {
      reply.header('Cache-Control', 'no-store');
      return payload;
    }
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('ETag', etag);
    if (!matches(request.headers['if-none-match'], etag)) return payload;
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  });
}

/** RFC 9110 §13.1.2: weak comparison, a list of tags or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
