import { createHmac, createSign, generateKeyPairSync, KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { JWT_AUDIENCE, JWT_ISSUER } from '@app/auth';
import { User, UserRole } from '@app/database';
import { Actor, createActor } from '../support/doctor-helpers';
import { TestApp } from '../support/test-app';
import { isProblem, send } from './support/http';

/*
 * Attacks on the access token beyond test/auth.e2e-spec.ts (alg none, expired, tampered,
 * wrong issuer/audience/secret, refresh family reuse) and test/admin-users.e2e-spec.ts
 * (deactivated users).
 */

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with any header, signed by `sign` over `header.payload`. */
function forge(header: object, payload: object, sign: (input: string) => Buffer | string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = sign(input);
  return `${input}.${typeof signature === 'string' ? signature : signature.toString('base64url')}`;
}

const rs256 = (key: KeyObject) => (input: string) =>
  createSign('RSA-SHA256').update(input).sign(key);
const hmac = (algorithm: 'sha256' | 'sha512', secret: string | Buffer) => (input: string) =>
  createHmac(algorithm, secret).update(input).digest();

describe('Access token attacks', () => {
  let app: TestApp;
  let jwt: JwtService;
  let patient: Actor;
  let claims: Record<string, unknown>;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
    jwt = app.get(JwtService);
    patient = await createActor(app, UserRole.Patient);
    const now = Math.floor(Date.now() / 1000);
    claims = {
      sub: patient.id,
      role: 'patient',
      ver: 0,
      typ: 'access',
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      iat: now,
      exp: now + 600,
    };
  });

  afterAll(async () => {
    await app.close();
  });

  const me = (token: string, headers: Record<string, string> = {}) =>
    send(app.baseUrl, { method: 'GET', url: '/api/v1/me', token, headers });

  async function expectRefused(token: string, why: string): Promise<void> {
    const res = await me(token);
    expect({
      why,
      status: res.status,
      problem: isProblem(res),
      code: (res.json as { code?: string })?.code,
    }).toEqual({
      why,
      status: 401,
      problem: true,
      code: 'UNAUTHENTICATED',
    });
  }

  it('accepts the genuine token the attacks start from', async () => {
    expect((await me(patient.token)).status).toBe(200);
    expect(
      (await me(forge({ alg: 'HS256', typ: 'JWT' }, claims, hmac('sha256', app.config.jwt.secret))))
        .status,
    ).toBe(200);
  });

  it('refuses RS256 tokens, signed by any key, with or without the key embedded in the header', async () => {
    await expectRefused(
      forge({ alg: 'RS256', typ: 'JWT' }, claims, rs256(privateKey)),
      'RS256 with an attacker key',
    );
    const jwk = publicKey.export({ format: 'jwk' });
    await expectRefused(
      forge({ alg: 'RS256', typ: 'JWT', jwk }, claims, rs256(privateKey)),
      'RS256 with an embedded jwk',
    );
    await expectRefused(
      forge(
        { alg: 'RS256', typ: 'JWT', jku: 'https://attacker.example/jwks.json' },
        claims,
        rs256(privateKey),
      ),
      'RS256 with a jku',
    );
  });

  it('refuses HS256 signed with an RSA public key as the secret (algorithm confusion)', async () => {
    await expectRefused(
      forge({ alg: 'HS256', typ: 'JWT' }, claims, hmac('sha256', publicPem)),
      'public key PEM as HMAC secret',
    );
    await expectRefused(
      forge(
        { alg: 'HS256', typ: 'JWT' },
        claims,
        hmac('sha256', publicKey.export({ type: 'spki', format: 'der' })),
      ),
      'public key DER as HMAC secret',
    );
  });

  it('refuses other algorithms even with the real secret, and every spelling of none', async () => {
    await expectRefused(
      forge({ alg: 'HS512', typ: 'JWT' }, claims, hmac('sha512', app.config.jwt.secret)),
      'HS512',
    );
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      await expectRefused(
        forge({ alg, typ: 'JWT' }, claims, () => ''),
        `alg ${alg}`,
      );
    }
    await expectRefused(
      forge({ alg: 'HS256', typ: 'JWT', kid: '../../../../dev/null' }, claims, hmac('sha256', '')),
      'kid pointing at an empty key',
    );
  });

  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      forge(
        { alg: 'HS256', typ: 'JWT' },
        { ...claims, nbf: now + 3600 },
        hmac('sha256', app.config.jwt.secret),
      ),
      'nbf in an hour',
    );
    await expectRefused(
      jwt.sign({ sub: patient.id, role: 'patient', ver: 0, typ: 'access' }, { notBefore: '1h' }),
      'notBefore 1h',
    );
  });

  it('refuses the token of a user who no longer exists', async () => {
    const gone = await createActor(app, UserRole.Patient);
    expect((await me(gone.token)).status).toBe(200);
    await app.dataSource.getRepository(User).delete({ id: gone.id });
    await expectRefused(gone.token, 'deleted user');
  });

  it('never takes a refresh token for an access token, nor the other way round', async () => {
    const login = await send(app.baseUrl, {
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: patient.email, password: 'correct horse battery staple' },
    });
    const { accessToken, refreshToken } = login.json as {
      accessToken: string;
      refreshToken: string;
    };
    await expectRefused(refreshToken, 'refresh token as bearer');
    const asRefresh = await send(app.baseUrl, {
      method: 'POST',
      url: '/api/v1/auth/refresh',
      body: { refreshToken: accessToken },
    });
    expect(asRefresh.status).toBe(401);
    expect(
      (
        await send(app.baseUrl, {
          method: 'POST',
          url: '/api/v1/auth/refresh',
          body: { refreshToken },
        })
      ).status,
    ).toBe(200);
  });

  it('reads the token from the Authorization header only', async () => {
    for (const res of [
      await send(app.baseUrl, { method: 'GET', url: `/api/v1/me?access_token=${patient.token}` }),
      await send(app.baseUrl, {
        method: 'GET',
        url: '/api/v1/me',
        headers: { Cookie: `access_token=${patient.token}` },
      }),
      await send(app.baseUrl, {
        method: 'GET',
        url: '/api/v1/me',
        headers: { Authorization: `Basic ${patient.token}` },
      }),
      await send(app.baseUrl, {
        method: 'GET',
        url: '/api/v1/me',
        headers: { Authorization: `Bearer ${patient.token}x` },
      }),
    ]) {
      expect(res.status).toBe(401);
    }
  });
});
