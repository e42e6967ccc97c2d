import { randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import {
  buildProblem,
  ErrorCode,
  jsonShapeProblem,
  ProblemDetailsFilter,
  sendProblem,
  ValidationError,
  validationExceptionFactory,
} from '@app/common';
import { AppConfig } from '@app/config';
import { ApiModule } from './api.module';
import { FHIR_PREFIX_EXCLUDE, registerFhirHttp } from './fhir/fhir-http';
import { API_PREFIX, LocationInterceptor } from './http/created-at.decorator';
import {
  answerConditionalGets,
  answerWrongMethods,
  refuseUndocumentedBodies,
} from './http/http-semantics';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument } from './openapi';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the configured api application (initialised, not yet listening); used by main and the tests. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimit,
    // Only trusted hops may set the client address: rate limits and audit rows key on it.
    trustProxy: config.http.trustProxyHops > 0 ? config.http.trustProxyHops : false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
    // Router errors never reach the exception filter. Path params are ids: an over-long one names nothing.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      reply.header('X-Request-Id', request.id);
      sendProblem(
        reply,
        buildProblem(
          tooLong
            ? { code: ErrorCode.NOT_FOUND, detail: 'No resource has this id' }
            : { code: ErrorCode.VALIDATION_FAILED, detail: error.message },
          request.url.split('?')[0],
          String(request.id),
        ),
      );
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    bufferLogs: true,
    // The PayPal webhook is verified on the exact bytes PayPal sent.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  answerWrongMethods(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // API answers are personal or change by the minute (tokens, slots): no cache keeps them.
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });
  fastify.addHook('preValidation', async (request) => {
    const problem = jsonShapeProblem(request.body);
    if (problem) throw new ValidationError(`${problem.field} ${problem.message}`, [problem]);
  });
  // Before compression's onSend: the ETag is of the plain body, and a 304 has none to compress.
  answerConditionalGets(fastify);
  registerFhirHttp(fastify);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // A month of slots is 112 KB, 7 KB gzipped. The default types leave text/event-stream alone.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  app.enableCors({
    origin: config.http.corsOrigins,
    // @fastify/cors allows only GET, HEAD and POST unless told.
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Location'],
    // Last-Event-ID: an EventSource polyfill resuming the notification stream sends it.
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'Idempotency-Key',
      'X-Request-Id',
      'Last-Event-ID',
    ],
    maxAge: 600,
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      'health/live',
      'health/ready',
      'metrics',
      'admin/queues',
      'admin/queues/{*path}',
      ...FHIR_PREFIX_EXCLUDE,
      // Calendar apps subscribe to this URL: short, and without an API version in it.
      'calendar/{*path}',
    ],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalInterceptors(new LocationInterceptor(app.get(Reflector)));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { persistAuthorization: true },
  });
  await app.init();
  refuseUndocumentedBodies(fastify);
  return app;
}
