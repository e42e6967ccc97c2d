import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { RefreshToken, User } from '@app/database';
import type { AccessTokenClaims } from '../auth-user';
import { generateOpaqueToken, hashOpaqueToken } from './opaque-token';
import { toUserView, UserView } from './user-view';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
  user: UserView;
}

/** Issues an access token and a refresh token; a login starts a refresh token family. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async issue(
    manager: EntityManager,
    user: User,
    familyId: string = randomUUID(),
  ): Promise<Session> {
    const refreshToken = generateOpaqueToken();
    await manager.insert(RefreshToken, {
      userId: user.id,
      familyId,
      tokenHash: hashOpaqueToken(refreshToken),
      expiresAt: new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000),
    });
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      ver: user.tokenVersion,
      typ: 'access',
    };
    const accessToken = await this.jwt.signAsync(claims);
    return {
      accessToken,
      refreshToken,
      expiresIn: this.config.jwt.accessTtlSeconds,
      user: toUserView(user),
    };
  }
}
