import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError } from './domain-error';
import { ERROR_STATUS, ERROR_TITLES, ErrorCode } from './error-codes';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemType } from './problem';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

const UNAVAILABLE_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08003',
  '08006',
]);

/** True for errors that mean a backing service (PostgreSQL, Redis) is unreachable. */
export function isUnavailableError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; driverError?: unknown; message?: unknown; name?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_ERRORS.has(e.code)) return true;
  // TypeORM's answers to the next query of a transaction whose connection PostgreSQL dropped
  // (pg's own is "Client has encountered a connection error and is not queryable").
  if (
    e.name === 'QueryRunnerAlreadyReleasedError' ||
    e.name === 'QueryRunnerProviderAlreadyReleasedError'
  )
    return true;
  if (
    typeof e.message === 'string' &&
    /Connection terminated|connection timeout|Connection is closed|is not queryable/i.test(
      e.message,
    )
  ) {
    return true;
  }
  return e.driverError ? isUnavailableError(e.driverError) : false;
}

export interface ProblemInput {
  code: ErrorCode;
  status?: number;
  detail: string;
  errors?: FieldError[];
  /** Extension members of a problem type (e.g. SERIES_CONFLICT's `conflicts`). */
  extensions?: Record<string, unknown>;
}

export function buildProblem(
  input: ProblemInput,
  instance?: string,
  requestId?: string,
): ProblemDetails {
  const status = input.status ?? ERROR_STATUS[input.code];
  const problem: ProblemDetails = {
    type: problemType(input.code),
    title: ERROR_TITLES[input.code],
    status,
    detail: input.detail,
    code: input.code,
    instance,
    requestId,
  };
  if (input.errors) problem.errors = input.errors;
  if (input.extensions) Object.assign(problem, input.extensions);
  return problem;
}

/** Turns any error into RFC 9457 problem+json; 500s carry only the correlation id. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const { input, retryAfter } = this.toProblem(exception, request, reply);
    if (input.code === ErrorCode.INTERNAL) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    }
    sendProblem(
      reply,
      buildProblem(input, request.url?.split('?')[0], String(request.id)),
      retryAfter,
    );
  }

  private toProblem(
    exception: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): { input: ProblemInput; retryAfter?: number } {
    if (exception instanceof DomainError) {
      return {
        input: {
          code: exception.code,
          detail: exception.message,
          errors: exception.details.errors,
          extensions: exception.details.extensions as Record<string, unknown> | undefined,
        },
        retryAfter: exception.details.retryAfterSeconds,
      };
    }
    if (exception instanceof ThrottlerException) {
      return {
        input: { code: ErrorCode.RATE_LIMITED, detail: 'Too many requests, retry later' },
        // The throttler guard has put the seconds left on the reply.
        retryAfter: Number(reply.getHeader('retry-after')) || undefined,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.CONFLICT);
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body && 'message' in body
          ? (body as { message: unknown }).message
          : exception.message;
      const detail =
        status === 404 && /^Cannot /.test(String(message))
          ? `No route ${request.method} ${request.url?.split('?')[0]}`
          : Array.isArray(message)
            ? message.join('; ')
            : String(message);
      return {
        input: { code, status, detail: code === ErrorCode.INTERNAL ? 'Internal error' : detail },
      };
    }
    const fastify = fastifyClientError(exception);
    if (fastify) return { input: fastify };
    if (isUnavailableError(exception)) {
      this.logger.warn({ err: exception, requestId: request.id }, 'Backing service unavailable');
      return {
        input: {
          code: ErrorCode.SERVICE_UNAVAILABLE,
          detail: 'A backing service is unavailable; retry shortly',
        },
        retryAfter: 5,
      };
    }
    return {
      input: { code: ErrorCode.INTERNAL, detail: `Internal error; quote request id ${request.id}` },
    };
  }
}

/** Errors Fastify raises before a route runs: body parsing, size limit, media type. */
function fastifyClientError(error: unknown): ProblemInput | null {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (
    !e ||
    typeof e.statusCode !== 'number' ||
    typeof e.code !== 'string' ||
    !e.code.startsWith('FST_')
  )
    return null;
  if (e.statusCode < 400 || e.statusCode >= 500) return null;
  const code = STATUS_CODES[e.statusCode] ?? ErrorCode.VALIDATION_FAILED;
  return { code, status: e.statusCode, detail: String(e.message) };
}

export function sendProblem(
  reply: FastifyReply,
  problem: ProblemDetails,
  retryAfter?: number,
): void {
  if (retryAfter) reply.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
  reply
    .status(problem.status)
    .header('Content-Type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem));
}
