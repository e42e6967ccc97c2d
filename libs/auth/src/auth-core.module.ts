import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config';
import { User } from '@app/database';
import { AccessGuard } from './access.guard';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './auth-user';
import { JwtStrategy } from './jwt.strategy';

/** Authentication for the api: JWT verification and the global default-closed guard. */
@Global()
@Module({
  imports: [
    PassportModule,
    TypeOrmModule.forFeature([User]),
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
  ],
  providers: [JwtStrategy, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [JwtModule],
})
export class AuthCoreModule {}
