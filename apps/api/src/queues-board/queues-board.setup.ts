import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { type BullBoardInstance, InjectBullBoard } from '@bull-board/nestjs';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildProblem, DomainError, sendProblem } from '@app/common';
import { JobProducer } from '@app/queues';
import { BOARD_ROUTE, BoardAccess } from './board-access';

const SESSION_ROUTE = `${BOARD_ROUTE}/session`;

/**
 * The board page's needs on top of the API's policy: the Google Fonts stylesheet and fonts
 * it links. Its scripts are same-origin files, so script-src stays 'self'.
 */
export const BOARD_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' data: https://fonts.gstatic.com",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isBoardRoute = (url: string | undefined): boolean =>
  !!url && url !== SESSION_ROUTE && (url === BOARD_ROUTE || url.startsWith(`${BOARD_ROUTE}/`));

/**
 * Shows every queue on the board and guards the board's routes (they are Fastify routes of
 * the board plugin, not Nest routes, so the global guard never sees them).
 */
@Injectable()
export class QueuesBoardSetup implements OnModuleInit {
  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly producer: JobProducer,
    private readonly access: BoardAccess,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    for (const queue of this.producer.allQueues()) this.board.addQueue(new BullMQAdapter(queue));
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // A root hook reaches the board plugin's routes whenever the plugin loads.
    fastify.addHook('onRequest', (request, reply) => this.guard(request, reply));
  }

  private async guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    // The matched route pattern, not the raw URL: no spelling of the path slips past.
    if (!isBoardRoute(request.routeOptions.url)) return;
    try {
      await this.access.authorize(request.headers);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const problem = buildProblem(
        { code: error.code, detail: error.message },
        request.url.split('?')[0],
        String(request.id),
      );
      sendProblem(reply, problem);
      return reply;
    }
    // Overrides the API policy helmet set earlier in this request, for the board only.
    reply.header('Content-Security-Policy', BOARD_CSP);
  }
}
