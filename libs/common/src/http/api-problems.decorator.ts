import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetails } from '../errors/problem';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 | 503;

const DEFAULT_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'VALIDATION_FAILED: the input is invalid (see errors[])',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'Conflict with the current state',
  422: 'The request cannot be processed',
  429: 'RATE_LIMITED: retry after the number of seconds in the Retry-After header',
  500: 'INTERNAL: an unexpected error; the body carries only the request id to quote',
  502: 'The upstream provider failed',
  503: 'SERVICE_UNAVAILABLE: a backing service is down; retry after Retry-After seconds',
};

/**
 * Documents problem+json answers of a route: `ApiProblems(400, [409, 'EMAIL_TAKEN'], 429)`.
 * (401 and 403 of authenticated routes come with @Auth().)
 */
export function ApiProblems(...specs: (ProblemStatus | [ProblemStatus, string])[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...specs.map((spec) => {
      const [status, description] = Array.isArray(spec) ? spec : [spec, DEFAULT_DESCRIPTIONS[spec]];
      return ApiResponse({
        status,
        description,
        content: {
          'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetails) } },
        },
        ...(status === 429 || status === 503
          ? {
              headers: {
                'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
              },
            }
          : {}),
      });
    }),
  );
}
