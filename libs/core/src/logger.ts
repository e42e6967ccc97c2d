import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LoggerService } from '@nestjs/common';
import pino, { type LogFn, type Logger as PinoLogger } from 'pino';
import type { Options } from 'pino-http';
import pinoPretty from 'pino-pretty';
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

/**
 * Nest's start-up narration: a line per module (InstanceLoader), controller and route
 * (RoutesResolver, RouterExplorer), and the application starting (NestFactory, NestApplication).
 */
const STARTUP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);
const INFO = 30;

/** In development the start-up narration is debug, not info: `LOG_LEVEL=debug` shows it. */
export function demoteStartupChatter(
  this: PinoLogger,
  args: Parameters<LogFn>,
  method: LogFn,
  level: number,
): void {
  const [first] = args as unknown[];
  const context = (first as { context?: unknown } | null)?.context;
  if (level === INFO && typeof context === 'string' && STARTUP_CONTEXTS.has(context)) {
    this.debug(...args);
    return;
  }
  method.apply(this, args);
}

/**
 * One line per entry: time, level, `Context: message` (newlines shown as \\n), other fields as
 * JSON; a request as `GET /url 200 3ms`. Error stacks keep their lines.
 */
export function prettyStream(destination?: NodeJS.WritableStream) {
  return pinoPretty({
    destination,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,context,req,res,responseTime',
    messageFormat: (log, messageKey) => {
      const req = log.req as { method?: string; url?: string } | undefined;
      const res = log.res as { statusCode?: number } | undefined;
      if (req?.method && res?.statusCode) {
        return `${req.method} ${req.url} ${res.statusCode} ${String(log.responseTime)}ms`;
      }
      const context = typeof log.context === 'string' ? `${log.context}: ` : '';
      return `${context}${String(log[messageKey] ?? '').replace(/\r?\n/g, ' \\n ')}`;
    },
  });
}

/** For the steps before Nest runs (creating and migrating the database): the same lines as later. */
export function bootLogger(
  config: AppConfig,
  service: 'api' | 'worker',
  context: string,
): Pick<LoggerService, 'log'> {
  const options = { level: config.logLevel, base: { service } };
  const logger = config.logFormat === 'pretty' ? pino(options, prettyStream()) : pino(options);
  return { log: (message: string) => logger.info({ context }, message) };
}

export function loggerModule(config: AppConfig, service: 'api' | 'worker') {
  const pinoHttp: Options = {
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
    // Not `hooks: undefined` in the other environments: pino would lose its default hooks.
    ...(config.env === 'development' && { hooks: { logMethod: demoteStartupChatter } }),
  };
  return LoggerModule.forRoot({
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    // Probes and scrapes skip the request logger entirely (its per-request child logger and
    // async context cost a tenth of a health check).
    exclude: [
      { path: 'health/{*path}', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
    // Production and tests: JSON lines on stdout. A developer's terminal: pretty lines.
    pinoHttp: config.logFormat === 'pretty' ? [pinoHttp, prettyStream()] : pinoHttp,
  });
}
