import { applyDecorators, Header } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

// @nestjs/swagger's API_RESPONSE; its package exports do not reach dist/constants.
const API_RESPONSE = 'swagger/apiResponse';

type ResponseHeaders = Record<string, { description: string; schema: { type: 'string' } }>;

/** Adds headers to a documented response whichever decorator declared it, in any order. */
function ApiResponseHeaders(status: number, headers: ResponseHeaders): MethodDecorator {
  return (_target, _key, descriptor) => {
    const responses = (Reflect.getMetadata(API_RESPONSE, descriptor.value as object) ??
      {}) as Record<string, { headers?: ResponseHeaders }>;
    const entry = responses[status] ?? {};
    Reflect.defineMetadata(
      API_RESPONSE,
      { ...responses, [status]: { ...entry, headers: { ...entry.headers, ...headers } } },
      descriptor.value as object,
    );
    return descriptor;
  };
}

/**
 * A public read that every client sees alike: `Cache-Control: public, max-age`, and an ETag
 * that answers a matching `If-None-Match` with 304 (set in http-semantics.ts). Errors
 * fall back to no-store.
 */
export function PublicCache(maxAgeSeconds: number) {
  return applyDecorators(
    Header('Cache-Control', `public, max-age=${maxAgeSeconds}`),
    ApiResponseHeaders(200, {
      ETag: { description: 'Send it back in If-None-Match', schema: { type: 'string' } },
      'Cache-Control': {
        description: `\`public, max-age=${maxAgeSeconds}\``,
        schema: { type: 'string' },
      },
    }),
    ApiResponse({
      status: 304,
      description: 'Not modified: the If-None-Match ETag is current',
    }),
  );
}
