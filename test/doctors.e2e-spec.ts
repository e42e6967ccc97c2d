import { randomUUID } from 'node:crypto';
import { UserRole } from '@app/database';
import { Actor, createActor, createDoctor, everyDay } from './support/doctor-helpers';
import { TestApp } from './support/test-app';

const SLOT_FREED = 'slot.freed';

describe('Doctors', () => {
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

  async function createSpecialty(label: string): Promise<{ id: string; name: string }> {
    const res = await app.http
      .post('/api/v1/specialties')
      .set(admin.auth)
      .send({ name: `${label} ${randomUUID().slice(0, 8)}` })
      .expect(201);
    return { id: res.body.id, name: res.body.name };
  }

  async function slotFreedEvents(doctorId: string): Promise<{ payload: Record<string, string> }[]> {
    return app.dataSource.query(
      `SELECT payload FROM outbox_events WHERE type = $1 AND aggregate_id = $2 ORDER BY created_at`,
      [SLOT_FREED, doctorId],
    );
  }

  describe('GET /doctors', () => {
    let specialty: { id: string; name: string };
    let tag: string;
    let alpha: Actor;
    let beta: Actor;
    let idle: Actor;

    beforeAll(async () => {
      specialty = await createSpecialty('Cardiology');
      tag = randomUUID().slice(0, 6);
      alpha = await createDoctor(app, {
        firstName: 'Zoe',
        lastName: `Alpha${tag}`,
        specialtyIds: [specialty.id],
        rules: everyDay('00:00', '24:00'),
        slotDurationMinutes: 30,
      });
      beta = await createDoctor(app, {
        firstName: 'Amy',
        lastName: `Beta${tag}`,
        specialtyIds: [specialty.id],
      });
      idle = await createDoctor(app, {
        firstName: 'Ivo',
        lastName: `Gamma${tag}`,
        specialtyIds: [specialty.id],
      });
      // Neither an inactive profile nor a deactivated account is listed.
      await createDoctor(app, {
        firstName: 'Ina',
        lastName: `Delta${tag}`,
        specialtyIds: [specialty.id],
        active: false,
      });
      const gone = await createDoctor(app, {
        firstName: 'Gus',
        lastName: `Omega${tag}`,
        specialtyIds: [specialty.id],
      });
      await app.dataSource.query('UPDATE users SET deactivated_at = now() WHERE id = $1', [
        gone.id,
      ]);
    });

    it('lists active doctors of a specialty by last name, each in the public shape', async () => {
      const res = await app.http
        .get('/api/v1/doctors')
        .query({ specialty: specialty.id })
        .expect(200);
      expect(res.body).toMatchObject({ page: 1, limit: 20, total: 3 });
      expect(res.body.items.map((d: { id: string }) => d.id)).toEqual([alpha.id, beta.id, idle.id]);
      const first = res.body.items[0];
      expect(Object.keys(first).sort()).toEqual(
        [
          'bio',
          'consultationFee',
          'firstName',
          'id',
          'lastName',
          'nextAvailableAt',
          'slotDurationMinutes',
          'specialties',
          'timezone',
          'visitTypes',
        ].sort(),
      );
      expect(first).toMatchObject({
        firstName: 'Zoe',
        lastName: `Alpha${tag}`,
        specialties: [{ id: specialty.id, name: specialty.name }],
        consultationFee: { amount: '45.00', currency: 'USD' },
        slotDurationMinutes: 30,
        timezone: 'UTC',
      });
    });

    it('gives the next free slot: after the minimum notice, on the grid; null without hours', async () => {
      const before = Date.now();
      const res = await app.http
        .get('/api/v1/doctors')
        .query({ specialty: specialty.id })
        .expect(200);
      const after = Date.now();
      const [withHours, withoutHours] = res.body.items;
      const next = Date.parse(withHours.nextAvailableAt);
      expect(withHours.nextAvailableAt).toMatch(/Z$/);
      const notice = app.config.booking.minNoticeMinutes * 60_000;
      expect(next).toBeGreaterThanOrEqual(before + notice);
      expect(next).toBeLessThan(after + notice + 30 * 60_000);
      expect(next % (30 * 60_000)).toBe(0);
      expect(withoutHours.nextAvailableAt).toBeNull();
    });

    it('pages with page and limit, keeping the total', async () => {
      const res = await app.http
        .get('/api/v1/doctors')
        .query({ specialty: specialty.id, page: 2, limit: 1 })
        .expect(200);
      expect(res.body).toMatchObject({ page: 2, limit: 1, total: 3 });
      expect(res.body.items.map((d: { id: string }) => d.id)).toEqual([beta.id]);
    });

    it('searches first and last names, every word, case-insensitively', async () => {
      const byLast = await app.http
        .get('/api/v1/doctors')
        .query({ q: `beta${tag}` })
        .expect(200);
      expect(byLast.body.items.map((d: { id: string }) => d.id)).toEqual([beta.id]);
      const byBoth = await app.http
        .get('/api/v1/doctors')
        .query({ q: `ZOE alpha${tag}` })
        .expect(200);
      expect(byBoth.body.items.map((d: { id: string }) => d.id)).toEqual([alpha.id]);
      const noMatch = await app.http
        .get('/api/v1/doctors')
        .query({ q: `Amy alpha${tag}` })
        .expect(200);
      expect(noMatch.body).toMatchObject({ items: [], total: 0 });
      const wildcard = await app.http
        .get('/api/v1/doctors')
        .query({ specialty: specialty.id, q: '%' })
        .expect(200);
      expect(wildcard.body.total).toBe(0);
    });

    it('rejects a malformed specialty id and a limit over 100', async () => {
      const badSpecialty = await app.http
        .get('/api/v1/doctors')
        .query({ specialty: 'cardiology' })
        .expect(400);
      expect(badSpecialty.body.code).toBe('VALIDATION_FAILED');
      expect(badSpecialty.body.errors).toEqual([expect.objectContaining({ field: 'specialty' })]);
      const badLimit = await app.http.get('/api/v1/doctors').query({ limit: 101 }).expect(400);
      expect(badLimit.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    });

    it('shows a listed doctor by id and answers 404 for anyone else', async () => {
      const res = await app.http.get(`/api/v1/doctors/${alpha.id}`).expect(200);
      expect(res.body).toMatchObject({ id: alpha.id, lastName: `Alpha${tag}` });
      expect(res.body.nextAvailableAt).toMatch(/Z$/);

      for (const id of [randomUUID(), patient.id, 'not-a-uuid']) {
        const missing = await app.http.get(`/api/v1/doctors/${id}`).expect(404);
        expect(missing.headers['content-type']).toContain('application/problem+json');
        expect(missing.body.code).toBe('NOT_FOUND');
      }
    });

    it('hides an inactive or deactivated doctor', async () => {
      const inactive = await createDoctor(app, { active: false });
      await app.http.get(`/api/v1/doctors/${inactive.id}`).expect(404);
      const deactivated = await createDoctor(app);
      await app.dataSource.query('UPDATE users SET deactivated_at = now() WHERE id = $1', [
        deactivated.id,
      ]);
      await app.http.get(`/api/v1/doctors/${deactivated.id}`).expect(404);
    });
  });

  describe('PATCH /doctors/me', () => {
    it('updates bio, specialties, fee, slot duration and time zone and answers the public profile', async () => {
      const doctor = await createDoctor(app);
      const [first, second] = [
        await createSpecialty('Neurology'),
        await createSpecialty('Pediatrics'),
      ];
      const res = await app.http
        .patch('/api/v1/doctors/me')
        .set(doctor.auth)
        .send({
          bio: 'Twenty years of practice.',
          specialtyIds: [first.id, second.id],
          consultationFee: { amount: '80.5', currency: 'EUR' },
          slotDurationMinutes: 45,
          timezone: 'Europe/Berlin',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id: doctor.id,
        bio: 'Twenty years of practice.',
        consultationFee: { amount: '80.50', currency: 'EUR' },
        slotDurationMinutes: 45,
        timezone: 'Europe/Berlin',
      });
      expect(res.body.specialties.map((s: { id: string }) => s.id).sort()).toEqual(
        [first.id, second.id].sort(),
      );

      const publicView = await app.http.get(`/api/v1/doctors/${doctor.id}`).expect(200);
      expect(publicView.body).toEqual(res.body);
      const own = await app.http.get('/api/v1/doctors/me').set(doctor.auth).expect(200);
      expect(own.body).toEqual(res.body);
    });

    it('replaces the specialties as a set and leaves other fields alone', async () => {
      const doctor = await createDoctor(app, { bio: 'Keep me' });
      const [first, second] = [await createSpecialty('Oncology'), await createSpecialty('Urology')];
      await app.http
        .patch('/api/v1/doctors/me')
        .set(doctor.auth)
        .send({ specialtyIds: [first.id] })
        .expect(200);
      const swapped = await app.http
        .patch('/api/v1/doctors/me')
        .set(doctor.auth)
        .send({ specialtyIds: [second.id, second.id] })
        .expect(200);
      expect(swapped.body.specialties).toEqual([{ id: second.id, name: second.name }]);
      expect(swapped.body.bio).toBe('Keep me');
      const cleared = await app.http
        .patch('/api/v1/doctors/me')
        .set(doctor.auth)
        .send({ specialtyIds: [] })
        .expect(200);
      expect(cleared.body.specialties).toEqual([]);
    });

    it.each([
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['an offset instead of a zone', { timezone: '+01:00' }, 'timezone'],
      ['a slot shorter than 5 minutes', { slotDurationMinutes: 4 }, 'slotDurationMinutes'],
      ['a slot longer than 240 minutes', { slotDurationMinutes: 241 }, 'slotDurationMinutes'],
      ['an unknown specialty', { specialtyIds: [randomUUID()] }, 'specialtyIds'],
      [
        'a malformed fee',
        { consultationFee: { amount: 'ten', currency: 'USD' } },
        'consultationFee.amount',
      ],
      ['null for a field', { bio: null }, 'bio'],
      ['a field that cannot be set here', { active: false }, 'active'],
    ])('rejects %s with 400 and the field in errors[]', async (_label, body, field) => {
      const doctor = await createDoctor(app);
      const res = await app.http
        .patch('/api/v1/doctors/me')
        .set(doctor.auth)
        .send(body)
        .expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      const unchanged = await app.http.get('/api/v1/doctors/me').set(doctor.auth).expect(200);
      expect(unchanged.body).toMatchObject({
        timezone: 'UTC',
        slotDurationMinutes: 30,
        specialties: [],
      });
    });

    it('is for doctors only', async () => {
      const asPatient = await app.http
        .patch('/api/v1/doctors/me')
        .set(patient.auth)
        .send({ bio: 'x' })
        .expect(403);
      expect(asPatient.body.code).toBe('FORBIDDEN');
      await app.http.patch('/api/v1/doctors/me').set(admin.auth).send({ bio: 'x' }).expect(403);
      const anonymous = await app.http.patch('/api/v1/doctors/me').send({ bio: 'x' }).expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      await app.http.get('/api/v1/doctors/me').set(patient.auth).expect(403);
    });
  });

  describe('/doctors/me/availability', () => {
    const week = [
      { dayOfWeek: 5, startTime: '13:00', endTime: '17:00' },
      { dayOfWeek: 1, startTime: '12:30', endTime: '24:00' },
      { dayOfWeek: 1, startTime: '09:00', endTime: '12:30' },
    ];

    it('starts empty, takes a week and reads it back sorted, in the doctor zone', async () => {
      const doctor = await createDoctor(app, { timezone: 'America/New_York' });
      const empty = await app.http
        .get('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .expect(200);
      expect(empty.body).toEqual({ timezone: 'America/New_York', rules: [] });

      const sorted = [week[2], week[1], week[0]];
      const put = await app.http
        .put('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .send({ rules: week })
        .expect(200);
      expect(put.body).toEqual({ timezone: 'America/New_York', rules: sorted });
      const read = await app.http
        .get('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .expect(200);
      expect(read.body).toEqual({ timezone: 'America/New_York', rules: sorted });
    });

    it('replaces the whole week, and an empty list clears it', async () => {
      const doctor = await createDoctor(app, { rules: everyDay('08:00', '10:00') });
      const next = [{ dayOfWeek: 3, startTime: '10:00', endTime: '11:00' }];
      await app.http
        .put('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .send({ rules: next })
        .expect(200);
      const read = await app.http
        .get('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .expect(200);
      expect(read.body.rules).toEqual(next);
      await app.http
        .put('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .send({ rules: [] })
        .expect(200);
      const cleared = await app.http
        .get('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .expect(200);
      expect(cleared.body.rules).toEqual([]);
    });

    it('records SlotFreed up to the horizon when new hours are added, not when hours shrink', async () => {
      const doctor = await createDoctor(app, {
        rules: [{ dayOfWeek: 2, startTime: '09:00', endTime: '17:00' }],
      });
      await app.http
        .put('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .send({ rules: [{ dayOfWeek: 2, startTime: '10:00', endTime: '12:00' }] })
        .expect(200);
      expect(await slotFreedEvents(doctor.id)).toHaveLength(0);

      const before = Date.now();
      await app.http
        .put('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .send({ rules: [{ dayOfWeek: 4, startTime: '10:00', endTime: '12:00' }] })
        .expect(200);
      const events = await slotFreedEvents(doctor.id);
      expect(events).toHaveLength(1);
      const { payload } = events[0];
      expect(payload.doctorId).toBe(doctor.id);
      expect(Date.parse(payload.startsAt)).toBeGreaterThanOrEqual(before - 1000);
      const horizon = app.config.booking.horizonDays * 86_400_000;
      expect(Date.parse(payload.endsAt) - Date.parse(payload.startsAt)).toBe(horizon);
    });

    it.each([
      [
        'overlapping rules on a day',
        [week[2], { dayOfWeek: 1, startTime: '12:00', endTime: '13:00' }],
        'rules.1',
      ],
      ['identical rules', [week[0], week[0]], 'rules.1'],
      [
        'end before start',
        [{ dayOfWeek: 2, startTime: '10:00', endTime: '09:00' }],
        'rules.0.endTime',
      ],
      [
        'end equal to start',
        [{ dayOfWeek: 2, startTime: '10:00', endTime: '10:00' }],
        'rules.0.endTime',
      ],
      [
        'an hour past 23',
        [{ dayOfWeek: 2, startTime: '25:00', endTime: '26:00' }],
        'rules.0.startTime',
      ],
      [
        'minutes past 59',
        [{ dayOfWeek: 2, startTime: '09:60', endTime: '10:00' }],
        'rules.0.startTime',
      ],
      [
        'a single-digit hour',
        [{ dayOfWeek: 2, startTime: '9:00', endTime: '10:00' }],
        'rules.0.startTime',
      ],
      [
        '24:00 as a start',
        [{ dayOfWeek: 2, startTime: '24:00', endTime: '24:00' }],
        'rules.0.startTime',
      ],
      [
        'an end past 24:00',
        [{ dayOfWeek: 2, startTime: '23:00', endTime: '24:30' }],
        'rules.0.endTime',
      ],
      ['day 7', [{ dayOfWeek: 7, startTime: '09:00', endTime: '10:00' }], 'rules.0.dayOfWeek'],
      [
        'an unknown field in a rule',
        [{ dayOfWeek: 2, startTime: '09:00', endTime: '10:00', id: 'x' }],
        'rules.0.id',
      ],
    ])('rejects %s with 400 and keeps the week', async (_label, rules, field) => {
      const doctor = await createDoctor(app, {
        rules: [{ dayOfWeek: 6, startTime: '09:00', endTime: '10:00' }],
      });
      const res = await app.http
        .put('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .send({ rules })
        .expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      const read = await app.http
        .get('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .expect(200);
      expect(read.body.rules).toEqual([{ dayOfWeek: 6, startTime: '09:00', endTime: '10:00' }]);
    });

    it('rejects a body without rules', async () => {
      const doctor = await createDoctor(app);
      const res = await app.http
        .put('/api/v1/doctors/me/availability')
        .set(doctor.auth)
        .send({})
        .expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'rules' })]),
      );
    });

    it('is for doctors only', async () => {
      await app.http.get('/api/v1/doctors/me/availability').set(patient.auth).expect(403);
      const res = await app.http
        .put('/api/v1/doctors/me/availability')
        .set(patient.auth)
        .send({ rules: [] })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await app.http.get('/api/v1/doctors/me/availability').expect(401);
    });
  });

  it('documents every doctors and specialties route in the OpenAPI document', async () => {
    const res = await app.http.get('/docs-json').expect(200);
    const operations: [string, string][] = [
      ['/api/v1/specialties', 'get'],
      ['/api/v1/specialties', 'post'],
      ['/api/v1/doctors', 'get'],
      ['/api/v1/doctors/{id}', 'get'],
      ['/api/v1/doctors/{id}/slots', 'get'],
      ['/api/v1/doctors/me', 'get'],
      ['/api/v1/doctors/me', 'patch'],
      ['/api/v1/doctors/me/availability', 'get'],
      ['/api/v1/doctors/me/availability', 'put'],
      ['/api/v1/doctors/me/time-off', 'post'],
      ['/api/v1/doctors/me/time-off', 'get'],
      ['/api/v1/doctors/me/time-off/{id}', 'delete'],
    ];
    for (const [path, method] of operations) {
      const operation = res.body.paths[path]?.[method];
      expect({ path, method, summary: operation?.summary }).toEqual({
        path,
        method,
        summary: expect.any(String),
      });
      expect(operation.tags.length).toBeGreaterThan(0);
      expect(Object.keys(operation.responses).some((status) => status.startsWith('4'))).toBe(true);
    }
    const doctor = res.body.components.schemas.PublicDoctorDto;
    expect(Object.keys(doctor.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'specialties',
        'consultationFee',
        'nextAvailableAt',
        'timezone',
      ]),
    );
    expect(res.body.components.schemas.WeeklyRuleDto.properties.startTime.pattern).toBeDefined();
  });
});
