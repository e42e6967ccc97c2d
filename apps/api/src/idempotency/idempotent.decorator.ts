import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblems } from '@app/common';
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
      schema: { type: 'string', minLength: 1, maxLength: 255 },
      description:
        'Any unique string (e.g. a UUID), at most 255 characters. Retrying with the same key and body returns the first response (kept 24 h) and does nothing twice.',
    }),
    ApiProblems(
      [409, 'IDEMPOTENCY_IN_PROGRESS: the first request with this key is still running'],
      [422, 'IDEMPOTENCY_KEY_REUSED: this key was used with a different request'],
    ),
  );
}
