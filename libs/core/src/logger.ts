import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@app/config';

/** Paths never written to the log: credentials, tokens and their hashes. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.authorization',
  '*.clientSecret',
];

const QUIET_PATHS = /^\/(health|metrics)(\/|$)/;

export function loggerModule(config: AppConfig, service: 'api' | 'worker') {
  return LoggerModule.forRoot({
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    // Probes and scrapes skip the request logger entirely (its per-request child logger and
    // async context cost a tenth of a health check).
    exclude: [
      { path: 'health/{*path}', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
    pinoHttp: {
      level: config.logLevel,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req) => req.id ?? randomUUID(),
      // Under Fastify the middleware sees req.url with the route prefix stripped ('/');
      // originalUrl keeps the path the client asked for.
      autoLogging: {
        ignore: (req: IncomingMessage & { originalUrl?: string }) =>
          QUIET_PATHS.test(req.originalUrl ?? req.url ?? ''),
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
