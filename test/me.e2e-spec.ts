import { User } from '@app/database';
import { bearer, registerAndLogin, TestUser } from './support/auth-helpers';
import { TestApp } from './support/test-app';

describe('Me', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /me', () => {
    it('returns the signed-in user without hashes', async () => {
      const patient = await registerAndLogin(app, {
        firstName: 'Grace',
        lastName: 'Hopper',
        timezone: 'America/New_York',
      });

      const res = await app.http.get('/api/v1/me').set(bearer(patient.accessToken)).expect(200);

      expect(res.body).toEqual({
        id: patient.user.id,
        email: patient.email,
        role: 'patient',
        firstName: 'Grace',
        lastName: 'Hopper',
        phone: null,
        timezone: 'America/New_York',
        locale: 'en',
        emailVerifiedAt: null,
        deactivatedAt: null,
        erasedAt: null,
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      });
    });

    it('answers 401 problem+json without a token', async () => {
      const res = await app.http.get('/api/v1/me').expect(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('PATCH /me', () => {
    let patient: TestUser;

    beforeEach(async () => {
      patient = await registerAndLogin(app);
    });

    const patch = (body: object) =>
      app.http.patch('/api/v1/me').set(bearer(patient.accessToken)).send(body);

    it('changes name, phone and time zone and answers 200 with the user', async () => {
      const res = await patch({
        firstName: ' Katherine ',
        lastName: 'Johnson',
        phone: '+1 (757) 555-0100',
        timezone: 'America/Chicago',
      }).expect(200);

      expect(res.body).toMatchObject({
        id: patient.user.id,
        email: patient.email,
        role: 'patient',
        firstName: 'Katherine',
        lastName: 'Johnson',
        phone: '+1 (757) 555-0100',
        timezone: 'America/Chicago',
      });
      const again = await app.http.get('/api/v1/me').set(bearer(patient.accessToken)).expect(200);
      expect(again.body).toEqual(res.body);
    });

    it('removes the phone with null and leaves omitted fields alone', async () => {
      await patch({ phone: '+44 20 7946 0958' }).expect(200);

      const res = await patch({ phone: null }).expect(200);

      expect(res.body.phone).toBeNull();
      expect(res.body.firstName).toBe(patient.user.firstName);
    });

    it.each([
      ['email', { email: 'someone.else@example.com' }],
      ['role', { role: 'admin' }],
      ['emailVerifiedAt', { emailVerifiedAt: '2026-01-01T00:00:00Z' }],
    ])('refuses to change %s (400) and changes nothing', async (field, body) => {
      const res = await patch(body).expect(400);

      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toContainEqual({ field, message: `${field} is not allowed` });
      const stored = await app.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: patient.user.id });
      expect(stored.email).toBe(patient.email);
      expect(stored.role).toBe('patient');
      expect(stored.emailVerifiedAt).toBeNull();
    });

    it('validates the values', async () => {
      const res = await patch({
        firstName: '',
        phone: 'call me',
        timezone: 'Nowhere/Special',
      }).expect(400);

      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'firstName',
        'phone',
        'timezone',
      ]);
    });

    it('answers 401 without a token', async () => {
      await app.http.patch('/api/v1/me').send({ firstName: 'X' }).expect(401);
    });
  });
});
