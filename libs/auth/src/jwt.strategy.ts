import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { User } from '@app/database';
import { AccessTokenClaims, AuthUser, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './auth-user';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as
      // a PEM public key (and throws) on every request — a fifth of a booking's CPU.
      secretOrKey: keyObject(config.jwt.secret),
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  /** Checked on every request, so deactivation and token-version bumps act at once. */
  async validate(claims: AccessTokenClaims): Promise<AuthUser | false> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') return false;
    // Plain SQL: this runs on every authenticated request.
    const [user]: Pick<User, 'id' | 'role' | 'email' | 'deactivatedAt' | 'tokenVersion'>[] =
      await this.db.query(
        `SELECT id, role, email, deactivated_at AS "deactivatedAt", token_version AS "tokenVersion"
           FROM users WHERE id = $1`,
        [claims.sub],
      );
    if (
      !user ||
      user.deactivatedAt ||
      user.tokenVersion !== claims.ver ||
      user.role !== claims.role
    )
      return false;
    return { id: user.id, role: user.role, email: user.email };
  }
}

/** Parsed once, not per request; passport-jwt's types say Buffer, jsonwebtoken takes a KeyObject. */
function keyObject(secret: string): Buffer {
  return createSecretKey(Buffer.from(secret)) satisfies KeyObject as never;
}
