import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { FHIR_BASE } from './fhir-http';

/** Where the request was sent: the base of `fullUrl`s and the search's own URL for links. */
export interface FhirRequestContext {
  /** `https://host/fhir/R4`, as the client reached it (X-Forwarded-* from trusted hops only). */
  base: string;
  url: URL;
}

export function fhirRequestContext(request: FastifyRequest): FhirRequestContext {
  const origin = `${request.protocol}://${request.host}`;
  return { base: `${origin}${FHIR_BASE}`, url: new URL(request.url, origin) };
}

export const FhirRequest = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): FhirRequestContext =>
    fhirRequestContext(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
