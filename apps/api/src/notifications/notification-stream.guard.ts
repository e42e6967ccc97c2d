import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '@app/auth';
import { DomainError, ErrorCode, isUnavailableError } from '@app/common';
import { StreamTickets } from '@app/notifications';

/**
 * The live stream's own authentication (the route is public to the global guard): a bearer
 * token, checked by the same passport JWT strategy as every route, or a stream ticket.
 */
@Injectable()
export class NotificationStreamGuard extends AuthGuard('jwt') {
  constructor(private readonly tickets: StreamTickets) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const { ticket } = request.query as { ticket?: unknown };
    if (request.headers.authorization || typeof ticket !== 'string') {
      return (await super.canActivate(context)) as boolean;
    }
    const holder = await this.tickets.redeem(ticket);
    if (!holder)
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        'The stream ticket is invalid, used or expired',
      );
    request.user = holder;
    return true;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false): TUser {
    // The user lookup failed, not the token: 503, so the client keeps its session.
    if (isUnavailableError(error)) throw error;
    if (error || !user) {
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        'A valid access token or stream ticket is required',
      );
    }
    return user;
  }
}
