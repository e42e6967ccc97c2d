import { randomUUID } from 'node:crypto';
import { UserRole } from '@app/database';
import { Actor, createActor } from './support/doctor-helpers';
import { TestApp } from './support/test-app';

describe('Specialties', () => {
  let app: TestApp;
  let admin: Actor;
  let patient: Actor;

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
    admin = await createActor(app, UserRole.Admin);
    patient = await createActor(app, UserRole.Patient);
  });

  afterAll(async () => {
    await app.close();
  });

  const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

  it('lets an admin create a specialty that anyone then sees in the list, by name', async () => {
    const name = unique('Zz Cardiology');
    const created = await app.http
      .post('/api/v1/specialties')
      .set(admin.auth)
      .send({ name, description: 'Heart and blood vessels' })
      .expect(201);
    expect(created.body).toMatchObject({ name, description: 'Heart and blood vessels' });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const other = await app.http
      .post('/api/v1/specialties')
      .set(admin.auth)
      .send({ name: unique('Aa Allergy') })
      .expect(201);
    expect(other.body.description).toBeNull();

    const list = await app.http.get('/api/v1/specialties').expect(200);
    expect(Object.keys(list.body)).toEqual(['items']);
    const names = list.body.items.map((s: { name: string }) => s.name);
    expect(names.indexOf(other.body.name)).toBeGreaterThanOrEqual(0);
    expect(names.indexOf(name)).toBeGreaterThan(names.indexOf(other.body.name));
  });

  it('answers 409 SPECIALTY_EXISTS for a name that exists in any case', async () => {
    const name = unique('Dermatology');
    await app.http.post('/api/v1/specialties').set(admin.auth).send({ name }).expect(201);
    const res = await app.http
      .post('/api/v1/specialties')
      .set(admin.auth)
      .send({ name: name.toUpperCase() })
      .expect(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 409, code: 'SPECIALTY_EXISTS' });
  });

  it('rejects a missing or blank name and unknown fields with 400 and errors[]', async () => {
    const missing = await app.http.post('/api/v1/specialties').set(admin.auth).send({}).expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'name' })]),
    );
    const blank = await app.http
      .post('/api/v1/specialties')
      .set(admin.auth)
      .send({ name: '   ' })
      .expect(400);
    expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    const extra = await app.http
      .post('/api/v1/specialties')
      .set(admin.auth)
      .send({ name: unique('Neurology'), id: randomUUID() })
      .expect(400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('lets only admins create specialties', async () => {
    const asPatient = await app.http
      .post('/api/v1/specialties')
      .set(patient.auth)
      .send({ name: unique('Oncology') });
    expect(asPatient.status).toBe(403);
    expect(asPatient.body.code).toBe('FORBIDDEN');
    const anonymous = await app.http.post('/api/v1/specialties').send({ name: unique('Oncology') });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
  });
});
