import { Global, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@app/config';
import { RedisService } from '@app/queues';
import { AccessGuard } from './access.guard';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './auth-user';
import { JwtStrategy } from './jwt.strategy';
import { authRateLimitOf } from './rate-limit/rate-limit.decorator';
import { AUTH_IP_CEILING, RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RedisThrottlerStorage } from './rate-limit/redis-throttler.storage';

/**
 * Authentication for the api: JWT verification, the global default-closed guard and the
 * rate limits shared through Redis.
 */
@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: {
          algorithm: JWT_ALGORITHM,
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
          expiresIn: config.jwt.accessTtlSeconds,
        },
        verifyOptions: { algorithms: [JWT_ALGORITHM], issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisService, Reflector],
      useFactory: (config: AppConfig, redis: RedisService, reflector: Reflector) => ({
        storage: new RedisThrottlerStorage(redis),
        throttlers: [
          {
            name: 'default',
            ttl: 60_000,
            limit: (context) =>
              authRateLimitOf(reflector, context)
                ? config.rateLimit.authPerMinute
                : config.rateLimit.perMinute,
          },
          {
            // Login's second counter, per IP across all emails: one address cannot spray passwords.
            name: AUTH_IP_CEILING,
            ttl: 60_000,
            limit: config.rateLimit.authIpCeilingPerMinute,
            skipIf: (context) => authRateLimitOf(reflector, context) !== 'ip+email',
            // X-RateLimit-* describe the route's own limit; a 429 still carries Retry-After.
            setHeaders: false,
          },
        ],
      }),
    }),
  ],
  providers: [
    JwtStrategy,
    RateLimitGuard,
    // Guards run in this order: the rate limit needs the user the access guard found.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
  ],
  exports: [JwtModule],
})
export class AuthCoreModule {}
