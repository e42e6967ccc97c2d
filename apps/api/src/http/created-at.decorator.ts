import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';

/** The global prefix of every API route (bootstrap.ts sets it). */
export const API_PREFIX = 'api/v1';

const LOCATION = 'app:location';

/** `appointments/{id}` with `{id}` (or `{timeOff.id}`) read from the answer's body. */
export function locationOf(template: string, body: unknown): string {
  return template.replace(/\{([\w.]+)\}/g, (_, key: string) => {
    const value = key
      .split('.')
      .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], body);
    return encodeURIComponent(String(value));
  });
}

/**
 * A 201 that made a resource with a URL: documents the body and sends
 * `Location: /api/v1/<template>`, also when an Idempotency-Key replays the answer.
 */
export function CreatedAt(type: Type<unknown>, template: string) {
  return applyDecorators(
    SetMetadata(LOCATION, template),
    ApiCreatedResponse({
      type,
      headers: {
        Location: {
          description: `The created resource: \`/${API_PREFIX}/${template}\``,
          schema: { type: 'string' },
        },
      },
    }),
  );
}

/** Global, so it wraps the idempotency interceptor and sees replayed bodies as well. */
@Injectable()
export class LocationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const template = this.reflector.get<string | undefined>(LOCATION, context.getHandler());
    if (!template || context.getType() !== 'http') return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body) => {
        reply.header('Location', `/${API_PREFIX}/${locationOf(template, body)}`);
        return body;
      }),
    );
  }
}
