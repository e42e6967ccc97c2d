import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Repository } from 'typeorm';
import { AppConfig } from '@app/config';
import { User } from '@app/database';
import { AccessTokenClaims, AuthUser, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './auth-user';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwt.secret,
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  /** Checked on every request, so deactivation and token-version bumps act at once. */
  async validate(claims: AccessTokenClaims): Promise<AuthUser | false> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') return false;
    const user = await this.users.findOne({
      where: { id: claims.sub },
      select: { id: true, role: true, email: true, deactivatedAt: true, tokenVersion: true },
    });
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
