import { randomBytes, randomUUID } from 'node:crypto';
import { createApiClient, type ApiClient } from '../clients/typescript/src';
import { createDoctor, DEFAULT_TEST_PASSWORD, uniqueEmail } from './support/auth-helpers';
import { PrismProxy } from './support/prism-proxy';
import { TestApp } from './support/test-app';

/** YYYY-MM-DD of `zone`, `daysAhead` days from now. */
function dateIn(zone: string, daysAhead: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(
    new Date(Date.now() + daysAhead * 86_400_000),
  );
}

/** A violation Prism found, as it reports it on the answer (with --errors, also as a 4xx/5xx). */
interface Violation {
  request: string;
  status: number;
  violations: string;
}

/**
 * The tour of a frontend: register, login, find a doctor, slots, book, read it back, errors.
 * `via` is where the typed client sends its requests: the api itself, or a proxy in front of it.
 */
function tour(via: 'api' | 'prism') {
  let app: TestApp;
  let prism: PrismProxy | undefined;
  const violations: Violation[] = [];
  const doctorLastName = `Typed${randomBytes(4).toString('hex')}`;

  function client(getToken?: () => string | undefined): ApiClient {
    const api = createApiClient(prism?.url ?? app.baseUrl, getToken);
    if (prism) {
      api.use({
        async onResponse({ request, response }) {
          const header = response.headers.get('sl-violations');
          // Prism's own answers to a violation are problems with a stoplight.io type.
          const problem = response.headers.get('content-type')?.includes('problem+json')
            ? ((await response.clone().json()) as { type?: string })
            : {};
          if (header || problem.type?.includes('stoplight.io')) {
            violations.push({
              request: `${request.method} ${new URL(request.url).pathname}`,
              status: response.status,
              violations: header ?? JSON.stringify(problem),
            });
          }
          return response;
        },
      });
    }
    return api;
  }

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
    if (via === 'prism') prism = await PrismProxy.start(app.baseUrl);
    const doctor = await createDoctor(app, undefined, {
      firstName: 'Clara',
      lastName: doctorLastName,
    });
    // The doctor's side goes through the typed client too: fee, zone and weekly hours.
    const asDoctor = client(() => doctor.accessToken);
    const profile = await asDoctor.PATCH('/api/v1/doctors/me', {
      body: {
        consultationFee: { amount: '45.00', currency: 'USD' },
        timezone: 'Europe/Berlin',
        slotDurationMinutes: 30,
      },
    });
    expect(profile.error).toBeUndefined();
    const hours = await asDoctor.PUT('/api/v1/doctors/me/availability', {
      body: {
        rules: [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
          dayOfWeek,
          startTime: '08:00',
          endTime: '20:00',
        })),
      },
    });
    expect(hours.data?.timezone).toBe('Europe/Berlin');
  });

  afterEach(() => {
    if (violations.length > 0) {
      const found = violations.splice(0);
      throw new Error(
        `Prism found ${found.length} violation(s) of openapi.json:\n${JSON.stringify(found, null, 2)}\n${prism?.violationLog() ?? ''}`,
      );
    }
  });

  afterAll(async () => {
    await prism?.close();
    await app?.close();
  });

  async function signedInPatient(): Promise<ApiClient> {
    const auth: { token?: string } = {};
    const api = client(() => auth.token);
    const email = uniqueEmail('typed');
    const registered = await api.POST('/api/v1/auth/register', {
      body: { email, password: DEFAULT_TEST_PASSWORD, firstName: 'Ada', lastName: 'Lovelace' },
    });
    expect(registered.response.status).toBe(201);
    expect(registered.data).toMatchObject({ email, role: 'patient' });
    const session = await api.POST('/api/v1/auth/login', {
      body: { email, password: DEFAULT_TEST_PASSWORD },
    });
    expect(session.response.status).toBe(200);
    auth.token = session.data!.accessToken;
    return api;
  }

  it('books a slot end to end: register, login, find a doctor, slots, book, read it back', async () => {
    const api = await signedInPatient();

    const me = await api.GET('/api/v1/me');
    expect(me.data?.lastName).toBe('Lovelace');

    const found = await api.GET('/api/v1/doctors', {
      params: { query: { q: doctorLastName, limit: 5 } },
    });
    expect(found.data?.total).toBe(1);
    const doctor = found.data!.items[0];
    expect(doctor).toMatchObject({
      lastName: doctorLastName,
      timezone: 'Europe/Berlin',
      consultationFee: { amount: '45.00', currency: 'USD' },
      slotDurationMinutes: 30,
    });

    const slots = await api.GET('/api/v1/doctors/{id}/slots', {
      params: {
        path: { id: doctor.id },
        query: { from: dateIn(doctor.timezone, 0), to: dateIn(doctor.timezone, 6) },
      },
    });
    expect(slots.response.status).toBe(200);
    const slot = slots.data!.items[0];
    expect(slot).toBeDefined();

    const idempotencyKey = randomUUID();
    const booked = await api.POST('/api/v1/appointments', {
      params: { header: { 'Idempotency-Key': idempotencyKey } },
      body: { doctorId: doctor.id, startsAt: slot.startsAt, reason: 'Typed client check' },
    });
    expect(booked.response.status).toBe(201);
    const appointment = booked.data!;
    expect(appointment).toMatchObject({
      doctorId: doctor.id,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      status: 'pending_payment',
      fee: { amount: '45.00', currency: 'USD' },
      reason: 'Typed client check',
      doctor: { id: doctor.id, lastName: doctorLastName },
    });
    expect(appointment.holdExpiresAt).not.toBeNull();

    const replay = await api.POST('/api/v1/appointments', {
      params: { header: { 'Idempotency-Key': idempotencyKey } },
      body: { doctorId: doctor.id, startsAt: slot.startsAt, reason: 'Typed client check' },
    });
    expect(replay.data?.id).toBe(appointment.id);

    const read = await api.GET('/api/v1/appointments/{id}', {
      params: { path: { id: appointment.id } },
    });
    expect(read.data).toEqual(appointment);

    const mine = await api.GET('/api/v1/appointments', { params: { query: { limit: 10 } } });
    expect(mine.data?.items.map((a) => a.id)).toEqual([appointment.id]);

    // Errors come back typed as problem+json.
    const someoneElse = await signedInPatient();
    const taken = await someoneElse.POST('/api/v1/appointments', {
      body: { doctorId: doctor.id, startsAt: slot.startsAt },
    });
    expect(taken.response.status).toBe(409);
    expect(taken.error).toMatchObject({ status: 409, code: 'SLOT_TAKEN' });
  });

  // Prism answers a missing credential itself (its own 401), so only the api sees this one.
  if (via === 'api') {
    it('without a token, gets the typed 401 problem of a secured route', async () => {
      const me = await client().GET('/api/v1/me');
      expect(me.response.status).toBe(401);
      expect(me.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    });
  }

  it('with a token that is not a valid JWT, gets the typed 401 problem of the api', async () => {
    const me = await client(() => 'not-a-jwt').GET('/api/v1/me');
    expect(me.response.status).toBe(401);
    expect(me.error).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
}

describe('Typed client (clients/typescript)', () => {
  describe('against the api', () => tour('api'));

  // Every request and answer of the tour checked against openapi.json by a third-party validator.
  describe("through Prism's validation proxy", () => tour('prism'));
});
