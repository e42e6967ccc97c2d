import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DateTime } from 'luxon';
import { UserRole } from '@app/database';
import { uniqueEmail } from './support/auth-helpers';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { createActor } from './support/doctor-helpers';
import { TestApp } from './support/test-app';
import { isProblem, send } from './security/support/http';

const FRONTEND = 'https://app.example.com';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose answer is not decoded: fetch would hide the Content-Encoding. */
function raw(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
  { untilHeaders = false } = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { headers }, (res) => {
      const chunks: Buffer[] = [];
      const done = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      if (untilHeaders) {
        res.destroy();
        done();
        return;
      }
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', done);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const methods = (allow: string | null | undefined) =>
  (allow ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean)
    .sort();

describe('HTTP semantics', () => {
  let app: TestApp;
  let fixtures: BookingFixtures;
  let patient: Actor;
  let doctor: Actor;
  let admin: Actor;

  beforeAll(async () => {
    app = await TestApp.start({
      worker: false,
      env: { CORS_ORIGINS: FRONTEND, BOOKING_HORIZON_DAYS: '60' },
    });
    fixtures = new BookingFixtures(app);
    [patient, doctor, admin] = await Promise.all([
      fixtures.patient(),
      fixtures.doctor(),
      fixtures.admin(),
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  describe('request media types', () => {
    it('answers a text/plain body (what fetch sends for a string) with 415 problem+json', async () => {
      const res = await send(app.baseUrl, {
        method: 'POST',
        url: '/api/v1/auth/login',
        rawBody: JSON.stringify({ email: 'a@example.test', password: 'whatever-it-is' }),
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      });
      expect({ status: res.status, problem: isProblem(res), body: res.json }).toMatchObject({
        status: 415,
        problem: true,
        body: { code: 'UNSUPPORTED_MEDIA_TYPE' },
      });
    });

    it('refuses form-encoded bodies with 415: no route documents them', async () => {
      const res = await send(app.baseUrl, {
        method: 'POST',
        url: '/api/v1/auth/register',
        rawBody: new URLSearchParams({
          email: uniqueEmail('form'),
          password: 'correct horse battery staple',
          firstName: 'Form',
          lastName: 'Post',
        }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect({ status: res.status, problem: isProblem(res), body: res.json }).toMatchObject({
        status: 415,
        problem: true,
        body: { code: 'UNSUPPORTED_MEDIA_TYPE' },
      });
    });
  });

  describe('Location on 201', () => {
    async function expectReadable(location: string | undefined, actor?: Actor): Promise<void> {
      expect(location).toMatch(/^\/api\/v1\//);
      const res = await app.http.get(location!).set(actor ? actor.auth : {});
      expect(res.status).toBe(200);
    }

    it('points at the created appointment', async () => {
      const res = await app.http
        .post('/api/v1/appointments')
        .set(patient.auth)
        .send({ doctorId: doctor.id, startsAt: slotAt(30) })
        .expect(201);
      expect(res.headers.location).toBe(`/api/v1/appointments/${res.body.id}`);
      await expectReadable(res.headers.location, patient);
    });

    it('points at the created specialty and doctor', async () => {
      const specialty = await app.http
        .post('/api/v1/specialties')
        .set(admin.auth)
        .send({ name: `Located ${Date.now()}` })
        .expect(201);
      expect(specialty.headers.location).toBe(`/api/v1/specialties/${specialty.body.id}`);
      await expectReadable(specialty.headers.location);

      const created = await app.http
        .post('/api/v1/admin/doctors')
        .set(admin.auth)
        .send({
          email: uniqueEmail('located'),
          password: 'correct horse battery staple',
          firstName: 'Lo',
          lastName: 'Cated',
          specialtyIds: [specialty.body.id],
        })
        .expect(201);
      expect(created.headers.location).toBe(`/api/v1/doctors/${created.body.id}`);
      await expectReadable(created.headers.location);
    });

    it('points a registration at the account it created, and time off and waitlist entries at theirs', async () => {
      const registered = await app.http
        .post('/api/v1/auth/register')
        .send({
          email: uniqueEmail('located'),
          password: 'correct horse battery staple',
          firstName: 'Re',
          lastName: 'Gistered',
        })
        .expect(201);
      expect(registered.headers.location).toBe('/api/v1/me');

      const start = DateTime.utc().plus({ days: 20 }).startOf('day');
      const timeOff = await app.http
        .post('/api/v1/doctors/me/time-off')
        .set(doctor.auth)
        .send({ startsAt: start.toISO(), endsAt: start.plus({ hours: 2 }).toISO() })
        .expect(201);
      expect(timeOff.headers.location).toBe(
        `/api/v1/doctors/me/time-off/${timeOff.body.timeOff.id}`,
      );

      const day = start.plus({ days: 3 }).toISODate();
      const entry = await app.http
        .post('/api/v1/waitlist')
        .set(patient.auth)
        .send({ doctorId: doctor.id, from: day, to: day })
        .expect(201);
      expect(entry.headers.location).toBe(`/api/v1/waitlist/${entry.body.id}`);
    });
  });

  describe('methods', () => {
    it('answers a wrong method on an existing path with 405 and Allow', async () => {
      const me = await send(app.baseUrl, { method: 'PUT', url: '/api/v1/me', body: {} });
      expect({ status: me.status, problem: isProblem(me), body: me.json }).toMatchObject({
        status: 405,
        problem: true,
        body: { code: 'METHOD_NOT_ALLOWED' },
      });
      expect(methods(me.headers.get('allow'))).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);

      const doctorPath = await send(app.baseUrl, {
        method: 'PUT',
        url: `/api/v1/doctors/${doctor.id}`,
        body: {},
      });
      expect(doctorPath.status).toBe(405);
      expect(methods(doctorPath.headers.get('allow'))).toEqual(['GET', 'HEAD']);
    });

    it('keeps 404 for a path that does not exist at all', async () => {
      const res = await send(app.baseUrl, { method: 'DELETE', url: '/api/v1/nothing-here' });
      expect({ status: res.status, problem: isProblem(res) }).toEqual({
        status: 404,
        problem: true,
      });
      expect(res.headers.get('allow')).toBeNull();
    });
  });

  describe('compression', () => {
    const monthOfSlots = () => {
      const from = DateTime.utc().plus({ days: 2 }).toISODate();
      const to = DateTime.utc().plus({ days: 32 }).toISODate();
      return `/api/v1/doctors/${doctor.id}/slots?from=${from}&to=${to}`;
    };

    it('compresses large answers with br or gzip, as the client asks', async () => {
      const identity = await raw(app.baseUrl, monthOfSlots());
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.body.length).toBeGreaterThan(10_000);

      const gzip = await raw(app.baseUrl, monthOfSlots(), { 'Accept-Encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.body).toString()).toBe(identity.body.toString());
      expect(gzip.body.length).toBeLessThan(identity.body.length / 5);

      const br = await raw(app.baseUrl, monthOfSlots(), { 'Accept-Encoding': 'br, gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).toString()).toBe(identity.body.toString());
      expect(br.headers.vary).toMatch(/accept-encoding/i);
    });

    it('leaves small answers and event streams uncompressed', async () => {
      const small = await raw(app.baseUrl, '/health/live', { 'Accept-Encoding': 'gzip, br' });
      expect(small.status).toBe(200);
      expect(small.headers['content-encoding']).toBeUndefined();

      const { ticket } = (
        await app.http.post('/api/v1/notifications/stream-ticket').set(patient.auth).expect(201)
      ).body as { ticket: string };
      const stream = await raw(
        app.baseUrl,
        `/api/v1/notifications/stream?ticket=${ticket}`,
        { 'Accept-Encoding': 'gzip, br' },
        { untilHeaders: true },
      );
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['content-encoding']).toBeUndefined();
    });
  });

  describe('caching of public reads', () => {
    const slotsPath = () => {
      const day = DateTime.utc().plus({ days: 3 }).toISODate();
      return `/api/v1/doctors/${doctor.id}/slots?from=${day}&to=${day}`;
    };

    it.each([
      ['specialties', () => '/api/v1/specialties', 60],
      ['the doctors list', () => '/api/v1/doctors', 60],
      ['a doctor', () => `/api/v1/doctors/${doctor.id}`, 60],
      ['slots', slotsPath, 5],
    ])(
      'gives %s an ETag, 304 on If-None-Match and a short public max-age',
      async (_, path, maxAge) => {
        const first = await app.http.get(path()).expect(200);
        expect(first.headers['cache-control']).toBe(`public, max-age=${maxAge}`);
        const etag = first.headers.etag as string;
        expect(etag).toMatch(/^(W\/)?"[^"]+"$/);

        const again = await app.http.get(path()).set('If-None-Match', etag);
        expect(again.status).toBe(304);
        expect(again.text ?? '').toBe('');
        expect(again.headers.etag).toBe(etag);

        const other = await app.http.get(path()).set('If-None-Match', '"something-else"');
        expect(other.status).toBe(200);
      },
    );

    it('changes the ETag when the answer changes', async () => {
      const before = await app.http.get('/api/v1/specialties').expect(200);
      await app.http
        .post('/api/v1/specialties')
        .set(admin.auth)
        .send({ name: `Fresh ${Date.now()}` })
        .expect(201);
      const after = await app.http
        .get('/api/v1/specialties')
        .set('If-None-Match', before.headers.etag as string);
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
    });

    it('keeps no-store and no ETag on personal answers and on errors of public reads', async () => {
      const me = await app.http.get('/api/v1/me').set(patient.auth).expect(200);
      expect(me.headers['cache-control']).toBe('no-store');
      expect(me.headers.etag).toBeUndefined();

      const missing = await app.http
        .get('/api/v1/doctors/00000000-0000-4000-8000-000000000000')
        .expect(404);
      expect(missing.headers['cache-control']).toBe('no-store');
      expect(missing.headers.etag).toBeUndefined();
    });
  });

  it('lets a cross-origin EventSource resume with Last-Event-ID', async () => {
    const res = await send(app.baseUrl, {
      method: 'OPTIONS',
      url: '/api/v1/notifications/stream',
      headers: {
        Origin: FRONTEND,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'last-event-id',
      },
    });
    expect(res.status).toBe(204);
    expect(
      (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/),
    ).toContain('last-event-id');
  });

  describe('waitlist', () => {
    it('answers a second identical active entry with 409 WAITLIST_DUPLICATE, and accepts it again once left', async () => {
      const someone = await createActor(app, UserRole.Patient);
      const day = DateTime.utc().plus({ days: 10 }).toISODate();
      const body = { doctorId: doctor.id, from: day, to: day };
      const first = await app.http
        .post('/api/v1/waitlist')
        .set(someone.auth)
        .send(body)
        .expect(201);

      const second = await app.http.post('/api/v1/waitlist').set(someone.auth).send(body);
      expect({ status: second.status, code: second.body.code }).toEqual({
        status: 409,
        code: 'WAITLIST_DUPLICATE',
      });
      expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);

      // Another range is another entry.
      await app.http
        .post('/api/v1/waitlist')
        .set(someone.auth)
        .send({ ...body, to: DateTime.fromISO(day!).plus({ days: 1 }).toISODate() })
        .expect(201);

      await app.http.delete(`/api/v1/waitlist/${first.body.id}`).set(someone.auth).expect(204);
      await app.http.post('/api/v1/waitlist').set(someone.auth).send(body).expect(201);
    });
  });
});
