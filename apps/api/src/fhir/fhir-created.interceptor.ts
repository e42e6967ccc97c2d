import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Resource } from '@medplum/fhirtypes';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { fhirRequestContext } from './fhir-request.decorator';

/** A FHIR create's 201: `Location` of the new resource and its version as the `ETag`. */
@Injectable()
export class FhirCreatedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<Resource>): Observable<Resource> {
    const http = context.switchToHttp();
    const { base } = fhirRequestContext(http.getRequest<FastifyRequest>());
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((resource) => {
        reply.header('Location', `${base}/${resource.resourceType}/${resource.id}`);
        if (resource.meta?.versionId) reply.header('ETag', `W/"${resource.meta.versionId}"`);
        return resource;
      }),
    );
  }
}
