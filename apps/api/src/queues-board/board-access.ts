import type { IncomingHttpHeaders } from 'node:http';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource, IsNull } from 'typeorm';
import { AccessTokenClaims, AuthUser, JwtStrategy } from '@app/auth';
import { DomainError, ErrorCode } from '@app/common';
import { User, UserRole } from '@app/database';
import { readCookie, serializeCookie } from './board-cookie';

export const BOARD_ROUTE = '/admin/queues';
export const BOARD_SESSION_COOKIE = 'da_board_session';
export const BOARD_SESSION_SECONDS = 15 * 60;
/** Its own audience: a board session is no access token, and an access token no session. */
const BOARD_AUDIENCE = 'doctor-appointment-board';

interface BoardSessionClaims {
  sub: string;
  ver: number;
  typ: 'board';
}

/** Who may see Bull Board: an admin, by bearer token or by a short board session cookie. */
@Injectable()
export class BoardAccess implements OnModuleInit {
  private strategy!: JwtStrategy;

  constructor(
    private readonly jwt: JwtService,
    private readonly moduleRef: ModuleRef,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    // The global guard's strategy: bearer tokens follow exactly the rules of every route.
    this.strategy = this.moduleRef.get(JwtStrategy, { strict: false });
  }

  async authorize(headers: IncomingHttpHeaders): Promise<AuthUser> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    const session = readCookie(headers.cookie, BOARD_SESSION_COOKIE);
    const user = bearer
      ? await this.fromAccessToken(bearer)
      : session
        ? await this.fromSession(session)
        : null;
    if (!user) {
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        'An admin access token or board session is required',
      );
    }
    if (user.role !== UserRole.Admin) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only admins may open the queue board');
    }
    return user;
  }

  /** Sets the session cookie on `reply` (Secure when the request came over https). */
  async openSession(
    admin: AuthUser,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ expiresAt: string }> {
    const { tokenVersion } = await this.users.findOneOrFail({
      where: { id: admin.id },
      select: { id: true, tokenVersion: true },
    });
    const claims: BoardSessionClaims = { sub: admin.id, ver: tokenVersion, typ: 'board' };
    const token = await this.jwt.signAsync(claims, {
      audience: BOARD_AUDIENCE,
      expiresIn: BOARD_SESSION_SECONDS,
    });
    const secure = request.protocol === 'https';
    reply.header(
      'Set-Cookie',
      serializeCookie(BOARD_SESSION_COOKIE, token, {
        path: BOARD_ROUTE,
        maxAgeSeconds: BOARD_SESSION_SECONDS,
        secure,
      }),
    );
    return { expiresAt: new Date(Date.now() + BOARD_SESSION_SECONDS * 1000).toISOString() };
  }

  private async fromAccessToken(token: string): Promise<AuthUser | null> {
    const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token).catch(() => null);
    return (claims && (await this.strategy.validate(claims))) || null;
  }

  /** Deactivation, a password reset or losing the admin role ends the session at once. */
  private async fromSession(token: string): Promise<AuthUser | null> {
    const claims = await this.jwt
      .verifyAsync<BoardSessionClaims>(token, { audience: BOARD_AUDIENCE })
      .catch(() => null);
    if (claims?.typ !== 'board' || typeof claims.sub !== 'string') return null;
    const user = await this.users.findOne({
      where: {
        id: claims.sub,
        role: UserRole.Admin,
        deactivatedAt: IsNull(),
        tokenVersion: claims.ver,
      },
      select: { id: true, role: true, email: true },
    });
    return user ? { id: user.id, role: user.role, email: user.email } : null;
  }

  private get users() {
    return this.db.getRepository(User);
  }
}
