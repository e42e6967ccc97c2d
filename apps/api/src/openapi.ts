import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME, STREAM_TICKET_SCHEME } from '@app/auth';
import { ProblemDetails } from '@app/common';
import { fhirContract } from './fhir/fhir-openapi';
import { tightenContract } from './openapi-contract';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Doctor Appointment API')
    .setDescription(
      'Find a doctor, see real free slots, book, pay with PayPal, get reminded. ' +
        'Errors are RFC 9457 application/problem+json with a stable `code`. ' +
        'A FHIR R4 facade for EHRs lives under /fhir/R4 (tag fhir; docs/fhir.md): its errors are OperationOutcome resources.',
    )
    .setVersion('1.0.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Access token from POST /auth/login or /auth/refresh: a short-lived JWT signed and ' +
          'checked following the JSON Web Token Best Current Practices of RFC8725 (one algorithm, ' +
          'audience and issuer checked, expiry enforced).',
      },
      BEARER_SCHEME,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'query',
        name: 'ticket',
        description:
          'Single-use ticket from POST /notifications/stream-ticket, valid 60 s: only for ' +
          'GET /notifications/stream, since EventSource cannot send an Authorization header.',
      },
      STREAM_TICKET_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDetails],
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return fhirContract(tightenContract(document));
}
