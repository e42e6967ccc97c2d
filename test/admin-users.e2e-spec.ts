import { randomUUID } from 'node:crypto';
import { DoctorProfile, Specialty, User } from '@app/database';
import { EventType } from '@app/queues';
import {
  bearer,
  createDoctor,
  DEFAULT_TEST_PASSWORD,
  latestEventToken,
  login,
  loginAdmin,
  registerAndLogin,
  TestUser,
  uniqueEmail,
} from './support/auth-helpers';
import { tokenFromEmail } from './support/smtp-sink';
import { TestApp } from './support/test-app';

describe('Admin: users and doctors', () => {
  let app: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    app = await TestApp.start();
    admin = await loginAdmin(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const asAdmin = () => bearer(admin.accessToken);

  async function insertSpecialty(name: string): Promise<Specialty> {
    const repo = app.dataSource.getRepository(Specialty);
    return repo.save(repo.create({ name: `${name} ${randomUUID().slice(0, 8)}` }));
  }

  describe('access', () => {
    it('answers 403 FORBIDDEN to a patient and a doctor', async () => {
      const patient = await registerAndLogin(app);
      const doctor = await createDoctor(app, admin.accessToken);

      for (const token of [patient.accessToken, doctor.accessToken]) {
        const list = await app.http.get('/api/v1/admin/users').set(bearer(token)).expect(403);
        expect(list.headers['content-type']).toContain('application/problem+json');
        expect(list.body.code).toBe('FORBIDDEN');
        await app.http
          .patch(`/api/v1/admin/users/${patient.user.id}`)
          .set(bearer(token))
          .send({ deactivated: true })
          .expect(403);
        await app.http
          .post('/api/v1/admin/doctors')
          .set(bearer(token))
          .send({ email: uniqueEmail('doctor'), firstName: 'A', lastName: 'B' })
          .expect(403);
      }
    });

    it('answers 401 without a token', async () => {
      expect((await app.http.get('/api/v1/admin/users').expect(401)).body.code).toBe(
        'UNAUTHENTICATED',
      );
    });
  });

  describe('GET /admin/users', () => {
    let tag: string;
    let patients: TestUser[];

    beforeAll(async () => {
      tag = randomUUID().slice(0, 8);
      patients = [];
      for (const i of [1, 2, 3]) {
        patients.push(
          await registerAndLogin(app, { lastName: `Searchable${tag}`, firstName: `Number${i}` }),
        );
      }
      await createDoctor(app, admin.accessToken, { lastName: `Searchable${tag}` });
    });

    it('searches name and email case-insensitively, newest first, paginated', async () => {
      const res = await app.http
        .get('/api/v1/admin/users')
        .query({ q: `searchable${tag.toUpperCase()}`, page: 1, limit: 2 })
        .set(asAdmin())
        .expect(200);

      expect(res.body).toMatchObject({ page: 1, limit: 2, total: 4 });
      expect(res.body.items).toHaveLength(2);
      const page2 = await app.http
        .get('/api/v1/admin/users')
        .query({ q: `searchable${tag}`, page: 2, limit: 2 })
        .set(asAdmin())
        .expect(200);
      const all = [...res.body.items, ...page2.body.items];
      expect(new Set(all.map((u: { id: string }) => u.id)).size).toBe(4);
      const created = all.map((u: { createdAt: string }) => u.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
      expect(JSON.stringify(all)).not.toMatch(/passwordHash|argon2/);
    });

    it('finds by full name and by email', async () => {
      const byName = await app.http
        .get('/api/v1/admin/users')
        .query({ q: `number2 searchable${tag}` })
        .set(asAdmin())
        .expect(200);
      expect(byName.body.items.map((u: { id: string }) => u.id)).toEqual([patients[1].user.id]);

      const byEmail = await app.http
        .get('/api/v1/admin/users')
        .query({ q: patients[2].email.toUpperCase() })
        .set(asAdmin())
        .expect(200);
      expect(byEmail.body.items.map((u: { id: string }) => u.id)).toEqual([patients[2].user.id]);
    });

    it('filters by role', async () => {
      const res = await app.http
        .get('/api/v1/admin/users')
        .query({ q: `searchable${tag}`, role: 'doctor' })
        .set(asAdmin())
        .expect(200);

      expect(res.body.total).toBe(1);
      expect(res.body.items[0].role).toBe('doctor');
    });

    it('treats % and _ in the search literally', async () => {
      const res = await app.http
        .get('/api/v1/admin/users')
        .query({ q: '%' })
        .set(asAdmin())
        .expect(200);
      expect(res.body.total).toBe(0);
    });

    it('rejects a bad role, page or limit with 400', async () => {
      for (const query of [{ role: 'superuser' }, { page: 0 }, { limit: 101 }, { limit: 'many' }]) {
        const res = await app.http
          .get('/api/v1/admin/users')
          .query(query)
          .set(asAdmin())
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('PATCH /admin/users/:id', () => {
    const setDeactivated = (id: string, deactivated: unknown) =>
      app.http.patch(`/api/v1/admin/users/${id}`).set(asAdmin()).send({ deactivated });

    it("deactivates: the user's still-valid access token, refresh token and password stop working", async () => {
      const patient = await registerAndLogin(app);
      await app.http.get('/api/v1/me').set(bearer(patient.accessToken)).expect(200);

      const res = await setDeactivated(patient.user.id, true).expect(200);

      expect(res.body).toMatchObject({
        id: patient.user.id,
        deactivatedAt: expect.stringMatching(/Z$/),
      });
      expect(
        (await app.http.get('/api/v1/me').set(bearer(patient.accessToken)).expect(401)).body.code,
      ).toBe('UNAUTHENTICATED');
      await app.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: patient.refreshToken })
        .expect(401);
      const loginRes = await app.http
        .post('/api/v1/auth/login')
        .send({ email: patient.email, password: patient.password })
        .expect(401);
      expect(loginRes.body.detail).toBe('This account is deactivated');
    });

    it('sends no reset link to a deactivated account', async () => {
      const patient = await registerAndLogin(app);
      await setDeactivated(patient.user.id, true).expect(200);

      await app.http
        .post('/api/v1/auth/forgot-password')
        .send({ email: patient.email })
        .expect(202);

      await expect(
        latestEventToken(app, EventType.PasswordResetRequested, patient.user.id),
      ).rejects.toThrow(/No auth.password_reset_requested event/);
    });

    it('reactivates: the user can sign in again, old tokens stay dead', async () => {
      const patient = await registerAndLogin(app);
      await setDeactivated(patient.user.id, true).expect(200);

      const res = await setDeactivated(patient.user.id, false).expect(200);

      expect(res.body.deactivatedAt).toBeNull();
      await app.http.get('/api/v1/me').set(bearer(patient.accessToken)).expect(401);
      const session = await login(app, patient.email, patient.password);
      await app.http.get('/api/v1/me').set(bearer(session.accessToken)).expect(200);
    });

    it('takes a deactivated doctor out of service and back', async () => {
      const doctor = await createDoctor(app, admin.accessToken);
      const profiles = app.dataSource.getRepository(DoctorProfile);

      await setDeactivated(doctor.user.id, true).expect(200);
      expect((await profiles.findOneByOrFail({ userId: doctor.user.id })).active).toBe(false);

      await setDeactivated(doctor.user.id, false).expect(200);
      expect((await profiles.findOneByOrFail({ userId: doctor.user.id })).active).toBe(true);
    });

    it('is idempotent', async () => {
      const patient = await registerAndLogin(app);
      const first = await setDeactivated(patient.user.id, true).expect(200);
      const second = await setDeactivated(patient.user.id, true).expect(200);
      expect(second.body.deactivatedAt).toBe(first.body.deactivatedAt);
    });

    it('does not let an admin deactivate themselves', async () => {
      const res = await setDeactivated(admin.user.id, true).expect(409);
      expect(res.body.code).toBe('CONFLICT');
      await app.http.get('/api/v1/me').set(asAdmin()).expect(200);
    });

    it('answers 404 for an unknown user and 400 for a malformed id', async () => {
      expect((await setDeactivated(randomUUID(), true).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await setDeactivated('not-a-uuid', true).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('accepts only { deactivated: boolean }: no role changes', async () => {
      const patient = await registerAndLogin(app);

      await setDeactivated(patient.user.id, 'yes').expect(400);
      const res = await app.http
        .patch(`/api/v1/admin/users/${patient.user.id}`)
        .set(asAdmin())
        .send({ deactivated: false, role: 'admin' })
        .expect(400);

      expect(res.body.errors).toContainEqual({ field: 'role', message: 'role is not allowed' });
      expect(
        (await app.dataSource.getRepository(User).findOneByOrFail({ id: patient.user.id })).role,
      ).toBe('patient');
    });
  });

  describe('POST /admin/doctors', () => {
    const createDoctorRequest = (body: object) =>
      app.http.post('/api/v1/admin/doctors').set(asAdmin()).send(body);

    it('creates a doctor with a password, a profile and specialties; the doctor can sign in', async () => {
      const cardiology = await insertSpecialty('Cardiology');
      const neurology = await insertSpecialty('Neurology');
      const email = uniqueEmail('doctor');

      const res = await createDoctorRequest({
        email,
        firstName: 'Gregory',
        lastName: 'House',
        password: DEFAULT_TEST_PASSWORD,
        specialtyIds: [neurology.id, cardiology.id],
        timezone: 'America/New_York',
      }).expect(201);

      expect(res.body).toMatchObject({
        email,
        role: 'doctor',
        firstName: 'Gregory',
        lastName: 'House',
        timezone: 'America/New_York',
        invited: false,
        emailVerifiedAt: expect.stringMatching(/Z$/),
      });
      expect(res.body.specialties).toEqual(
        expect.arrayContaining([
          { id: cardiology.id, name: cardiology.name },
          { id: neurology.id, name: neurology.name },
        ]),
      );
      expect(res.text).not.toMatch(/passwordHash|argon2/);
      const profile = await app.dataSource
        .getRepository(DoctorProfile)
        .findOneOrFail({ where: { userId: res.body.id }, relations: { specialties: true } });
      expect(profile.timezone).toBe('America/New_York');
      expect(profile.specialties!.map((s) => s.id).sort()).toEqual(
        [cardiology.id, neurology.id].sort(),
      );
      const session = await login(app, email, DEFAULT_TEST_PASSWORD);
      expect(session.user.role).toBe('doctor');
    });

    it('without a password, emails a set-password link whose token works once', async () => {
      const email = uniqueEmail('invited-doctor');

      const res = await createDoctorRequest({ email, firstName: 'Lisa', lastName: 'Cuddy' }).expect(
        201,
      );

      expect(res.body).toMatchObject({
        invited: true,
        emailVerifiedAt: null,
        specialties: [],
        timezone: 'UTC',
      });
      await app.http
        .post('/api/v1/auth/login')
        .send({ email, password: DEFAULT_TEST_PASSWORD })
        .expect(401);
      const message = await app.smtp.waitForMessage(
        (m) =>
          m.to.includes(email) && m.text.includes(`${app.config.frontendUrl}/set-password?token=`),
      );
      const token = tokenFromEmail(message);
      await app.http
        .post('/api/v1/auth/reset-password')
        .send({ token, password: 'my own passphrase' })
        .expect(204);
      const session = await login(app, email, 'my own passphrase');
      expect(session.user).toMatchObject({
        role: 'doctor',
        emailVerifiedAt: expect.stringMatching(/Z$/),
      });
      await app.http
        .post('/api/v1/auth/reset-password')
        .send({ token, password: 'another passphrase' })
        .expect(400);
    });

    it('gives the invitation a week', async () => {
      const res = await createDoctorRequest({
        email: uniqueEmail('doctor'),
        firstName: 'A',
        lastName: 'B',
      }).expect(201);

      const [{ days }] = await app.dataSource.query(
        `SELECT extract(epoch FROM expires_at - created_at) / 86400 AS days FROM one_time_tokens WHERE user_id = $1`,
        [res.body.id],
      );
      expect(Number(days)).toBeCloseTo(7, 1);
      await expect(latestEventToken(app, EventType.DoctorInvited, res.body.id)).resolves.toEqual(
        expect.any(String),
      );
    });

    it('answers 409 EMAIL_TAKEN for an existing email in another case', async () => {
      const patient = await registerAndLogin(app);

      const res = await createDoctorRequest({
        email: patient.email.toUpperCase(),
        firstName: 'A',
        lastName: 'B',
      }).expect(409);

      expect(res.body.code).toBe('EMAIL_TAKEN');
    });

    it('answers 404 for an unknown specialty and creates nothing', async () => {
      const email = uniqueEmail('doctor');
      const unknown = randomUUID();

      const res = await createDoctorRequest({
        email,
        firstName: 'A',
        lastName: 'B',
        specialtyIds: [unknown],
      }).expect(404);

      expect(res.body).toMatchObject({
        code: 'NOT_FOUND',
        detail: `Specialty ${unknown} not found`,
      });
      expect(await app.dataSource.getRepository(User).existsBy({ email })).toBe(false);
    });

    it('validates the body', async () => {
      const res = await createDoctorRequest({
        email: 'nope',
        firstName: 'A',
        lastName: 'B',
        password: 'short',
        specialtyIds: ['not-a-uuid'],
        timezone: 'Mars/Olympus',
        role: 'admin',
      }).expect(400);

      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['email', 'password', 'specialtyIds', 'timezone', 'role']),
      );
    });
  });
});
