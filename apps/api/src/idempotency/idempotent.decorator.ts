import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ProblemDetails } from '@app/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';

export const IDEMPOTENT = 'app:idempotent';

/** Honours an `Idempotency-Key` header: the same key and body replay the first answer. */
export function Idempotent() {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any unique string (e.g. a UUID), at most 255 characters. Retrying with the same key and body returns the first response (kept 24 h) and does nothing twice.',
    }),
    ApiConflictResponse({
      description: 'IDEMPOTENCY_IN_PROGRESS: the first request with this key is still running',
      type: ProblemDetails,
    }),
    ApiUnprocessableEntityResponse({
      description: 'IDEMPOTENCY_KEY_REUSED: this key was used with a different request',
      type: ProblemDetails,
    }),
  );
}
