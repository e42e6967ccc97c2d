import { DateTime } from 'luxon';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { createDoctor, everyDay } from './support/doctor-helpers';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface VisitTypeBody {
  id: string;
  name: string;
  position: number;
  active: boolean;
  durationMinutes: number;
  price: { amount: string; currency: string };
}

/** SPEC §6 "Visit types" and "Booking with a visit type": types, their slots, their bookings. */
describe('Visit types', () => {
  let app: TestApp;
  let fx: BookingFixtures;
  let admin: Actor;

  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const createType = (doctor: Actor, body: Record<string, unknown>) =>
    app.http.post('/api/v1/doctors/me/visit-types').set(doctor.auth).send(body);
  const publicTypes = async (doctorId: string): Promise<VisitTypeBody[]> =>
    (await app.http.get(`/api/v1/doctors/${doctorId}/visit-types`).expect(200)).body.items;
  const book = (patient: Actor, body: Record<string, unknown>) =>
    app.http.post('/api/v1/appointments').set(patient.auth).send(body);
  const slots = (doctorId: string, from: string, to: string, visitTypeId?: string) =>
    app.http
      .get(`/api/v1/doctors/${doctorId}/slots`)
      .query({ from, to, ...(visitTypeId ? { visitTypeId } : {}) });
  const startsOf = (res: { body: { items: { startsAt: string }[] } }) =>
    res.body.items.map((slot) => slot.startsAt);

  /** A UTC date three days ahead, clear of minimum notice, and its instants. */
  const day = DateTime.utc().plus({ days: 3 }).toISODate()!;
  const at = (time: string) => `${day}T${time}:00.000Z`;
  const times = (...list: string[]) => list.map(at);

  /** A doctor working 09:00–12:00 UTC every day on a 15-minute grid, charging 40.00. */
  const morningDoctor = () =>
    createDoctor(app, {
      slotDurationMinutes: 15,
      feeMinor: 4000,
      rules: everyDay('09:00', '12:00'),
    });

  beforeAll(async () => {
    app = await TestApp.start();
    fx = new BookingFixtures(app);
    admin = await fx.admin();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('the default type', () => {
    it('gives a doctor made by POST /admin/doctors exactly one "Consultation" from the profile', async () => {
      const res = await app.http
        .post('/api/v1/admin/doctors')
        .set(admin.auth)
        .send({
          email: `vt-admin-made-${Date.now()}@example.test`,
          firstName: 'Ada',
          lastName: 'Default',
          password: 'correct horse battery staple',
        })
        .expect(201);
      const types = await publicTypes(res.body.id);
      expect(types).toEqual([
        expect.objectContaining({
          name: 'Consultation',
          doctorId: res.body.id,
          durationMinutes: 30,
          price: usd('0.00'),
          position: 0,
          active: true,
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 0,
          requiresApproval: false,
          changeCutoffHours: 0,
          questions: [],
        }),
      ]);
    });

    it('gives a doctor made straight in the database one too, from its duration and fee', async () => {
      const doctor = await createDoctor(app, { slotDurationMinutes: 20, feeMinor: 6550 });
      const types = await publicTypes(doctor.id);
      expect(types).toHaveLength(1);
      expect(types[0]).toMatchObject({
        name: 'Consultation',
        durationMinutes: 20,
        price: usd('65.50'),
        position: 0,
      });
    });

    it('follows PATCH /doctors/me consultationFee and slotDurationMinutes (release 1)', async () => {
      const doctor = await createDoctor(app, {
        slotDurationMinutes: 30,
        feeMinor: 4500,
        rules: everyDay('09:00', '12:00'),
      });
      const [before] = await publicTypes(doctor.id);
      await app.http
        .patch('/api/v1/doctors/me')
        .set(doctor.auth)
        .send({ consultationFee: usd('70.00'), slotDurationMinutes: 45 })
        .expect(200);
      const after = await publicTypes(doctor.id);
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({
        id: before.id,
        name: 'Consultation',
        durationMinutes: 45,
        price: usd('70.00'),
      });
      // ...and a release-1 booking gets that length and that fee.
      // The grid is 45 minutes now too: 09:00, 09:45, 10:30, 11:15.
      const offered = await slots(doctor.id, day, day).expect(200);
      expect(startsOf(offered)).toEqual(times('09:00', '09:45', '10:30', '11:15'));
      const patient = await fx.patient();
      const startsAt = at('09:45');
      const booked = await book(patient, { doctorId: doctor.id, startsAt }).expect(201);
      expect(booked.body.fee).toEqual(usd('70.00'));
      expect(Date.parse(booked.body.endsAt) - Date.parse(startsAt)).toBe(45 * 60_000);
    });

    it('is what a release-1 booking without visitTypeId books, whatever types are added later', async () => {
      const doctor = await createDoctor(app, { feeMinor: 0, rules: everyDay('00:00', '24:00') });
      const [consultation] = await publicTypes(doctor.id);
      await createType(doctor, { name: 'Later', durationMinutes: 60, price: usd('10.00') }).expect(
        201,
      );
      // Same position as the default: the oldest of the lowest position stays first.
      await createType(doctor, {
        name: 'Also first',
        durationMinutes: 60,
        price: usd('20.00'),
        position: 0,
      }).expect(201);
      const patient = await fx.patient();
      const res = await book(patient, { doctorId: doctor.id, startsAt: slotAt(30) }).expect(201);
      expect(res.body).toMatchObject({
        visitTypeId: consultation.id,
        visitType: { id: consultation.id, name: 'Consultation', durationMinutes: 30 },
        status: 'confirmed',
        fee: usd('0.00'),
      });
      const slotList = await slots(doctor.id, day, day).expect(200);
      expect(slotList.body.items[0].visitTypeId).toBe(consultation.id);
    });
  });

  describe('CRUD', () => {
    it('creates a type: 201, Location, defaults, and the next free position', async () => {
      const doctor = await createDoctor(app);
      const res = await createType(doctor, {
        name: '  New-patient consultation ',
        durationMinutes: 45,
        price: usd('80.00'),
        bufferAfterMinutes: 15,
        location: 'Room 4',
        questions: [
          { key: 'symptoms', label: 'What brings you in?', kind: 'text', required: true },
          { key: 'areas', label: 'Where?', kind: 'multi_choice', options: ['head', 'back'] },
        ],
      }).expect(201);
      expect(res.headers.location).toBe(`/api/v1/doctors/me/visit-types/${res.body.id}`);
      expect(res.body).toMatchObject({
        doctorId: doctor.id,
        name: 'New-patient consultation',
        description: null,
        durationMinutes: 45,
        price: usd('80.00'),
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 15,
        mode: 'in_person',
        location: 'Room 4',
        requiresApproval: false,
        approvalDeadlineHours: 24,
        changeCutoffHours: 0,
        position: 1,
        active: true,
        questions: [
          { key: 'symptoms', label: 'What brings you in?', kind: 'text', required: true },
          {
            key: 'areas',
            label: 'Where?',
            kind: 'multi_choice',
            required: false,
            options: ['head', 'back'],
          },
        ],
      });
      const second = await createType(doctor, {
        name: 'Repeat prescription',
        durationMinutes: 10,
        price: usd('0.00'),
        mode: 'phone',
      }).expect(201);
      expect(second.body.position).toBe(2);
      expect(second.body.price).toEqual(usd('0.00'));
      expect(second.body.location).toBeNull();
    });

    it('lists active types publicly, by position then name', async () => {
      const doctor = await createDoctor(app);
      // Created in an order that is neither the position nor the name order.
      await createType(doctor, {
        name: 'Zeta',
        durationMinutes: 20,
        price: usd('1.00'),
        position: 5,
      }).expect(201);
      await createType(doctor, {
        name: 'Alpha',
        durationMinutes: 20,
        price: usd('1.00'),
        position: 5,
      }).expect(201);
      await createType(doctor, {
        name: 'Mid',
        durationMinutes: 20,
        price: usd('1.00'),
        position: 2,
      }).expect(201);
      const archived = await createType(doctor, {
        name: 'Archived',
        durationMinutes: 20,
        price: usd('1.00'),
        position: 1,
      }).expect(201);
      await app.http
        .delete(`/api/v1/doctors/me/visit-types/${archived.body.id}`)
        .set(doctor.auth)
        .expect(204);
      expect((await publicTypes(doctor.id)).map((type) => type.name)).toEqual([
        'Consultation',
        'Mid',
        'Alpha',
        'Zeta',
      ]);
      // The doctor's own list has the archived one too, last.
      const own = await app.http.get('/api/v1/doctors/me/visit-types').set(doctor.auth).expect(200);
      expect(own.body.items).toHaveLength(5);
      expect(own.body.items[4]).toMatchObject({ id: archived.body.id, active: false });
    });

    it('answers 404 for the types of an unknown doctor', async () => {
      const patient = await fx.patient();
      await app.http.get(`/api/v1/doctors/${patient.id}/visit-types`).expect(404);
    });

    it('updates a type: 200 with the result; only the owner may', async () => {
      const doctor = await createDoctor(app);
      const other = await createDoctor(app);
      const patient = await fx.patient();
      const type = await createType(doctor, {
        name: 'Check-up',
        durationMinutes: 30,
        price: usd('30.00'),
        location: 'Room 1',
      }).expect(201);
      const url = `/api/v1/doctors/me/visit-types/${type.body.id}`;

      const res = await app.http
        .patch(url)
        .set(doctor.auth)
        .send({ name: 'Check-up (long)', durationMinutes: 60, price: usd('55.00'), mode: 'video' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: type.body.id,
        name: 'Check-up (long)',
        durationMinutes: 60,
        price: usd('55.00'),
        mode: 'video',
        // A location is for in-person visits only.
        location: null,
      });

      const foreign = await app.http.patch(url).set(other.auth).send({ name: 'Mine' }).expect(404);
      expect(foreign.body.code).toBe('NOT_FOUND');
      const forbidden = await app.http
        .patch(url)
        .set(patient.auth)
        .send({ name: 'Mine' })
        .expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
      await app.http.delete(url).set(other.auth).expect(404);
      await app.http.delete(url).set(patient.auth).expect(403);
      await app.http.patch(url).send({ name: 'Anyone' }).expect(401);
      expect((await publicTypes(doctor.id)).find((t) => t.id === type.body.id)!.name).toBe(
        'Check-up (long)',
      );
    });

    it('archives with DELETE (204), never the last active type (409 LAST_VISIT_TYPE)', async () => {
      const doctor = await createDoctor(app);
      const [consultation] = await publicTypes(doctor.id);
      const extra = await createType(doctor, {
        name: 'Extra',
        durationMinutes: 30,
        price: usd('10.00'),
      }).expect(201);

      await app.http
        .delete(`/api/v1/doctors/me/visit-types/${consultation.id}`)
        .set(doctor.auth)
        .expect(204);
      expect((await publicTypes(doctor.id)).map((type) => type.id)).toEqual([extra.body.id]);

      const last = await app.http
        .delete(`/api/v1/doctors/me/visit-types/${extra.body.id}`)
        .set(doctor.auth)
        .expect(409);
      expect(last.body.code).toBe('LAST_VISIT_TYPE');
      const viaPatch = await app.http
        .patch(`/api/v1/doctors/me/visit-types/${extra.body.id}`)
        .set(doctor.auth)
        .send({ active: false })
        .expect(409);
      expect(viaPatch.body.code).toBe('LAST_VISIT_TYPE');
      expect((await publicTypes(doctor.id)).map((type) => type.id)).toEqual([extra.body.id]);

      // Archiving an archived type again changes nothing; restoring it lists it again.
      await app.http
        .delete(`/api/v1/doctors/me/visit-types/${consultation.id}`)
        .set(doctor.auth)
        .expect(204);
      await app.http
        .patch(`/api/v1/doctors/me/visit-types/${consultation.id}`)
        .set(doctor.auth)
        .send({ active: true })
        .expect(200);
      expect(await publicTypes(doctor.id)).toHaveLength(2);
    });

    it('never leaves a doctor without an active type when the last two are archived at once', async () => {
      const doctor = await createDoctor(app);
      const [consultation] = await publicTypes(doctor.id);
      const extra = await createType(doctor, {
        name: 'Extra',
        durationMinutes: 30,
        price: usd('10.00'),
      }).expect(201);
      const results = await Promise.all(
        [consultation.id, extra.body.id].map((id) =>
          app.http.delete(`/api/v1/doctors/me/visit-types/${id}`).set(doctor.auth),
        ),
      );
      expect(results.map((res) => res.status).sort()).toEqual([204, 409]);
      expect(results.find((res) => res.status === 409)!.body.code).toBe('LAST_VISIT_TYPE');
      expect(await publicTypes(doctor.id)).toHaveLength(1);
    });

    const valid = { name: 'Visit', durationMinutes: 30, price: usd('10.00') };
    const question = (key: string) => ({ key, label: `Question ${key}`, kind: 'text' });
    it.each<[string, Record<string, unknown>, string]>([
      ['a duration of 4', { ...valid, durationMinutes: 4 }, 'durationMinutes'],
      ['a duration of 481', { ...valid, durationMinutes: 481 }, 'durationMinutes'],
      ['a buffer before of 121', { ...valid, bufferBeforeMinutes: 121 }, 'bufferBeforeMinutes'],
      ['a buffer after of 121', { ...valid, bufferAfterMinutes: 121 }, 'bufferAfterMinutes'],
      ['a negative buffer', { ...valid, bufferAfterMinutes: -1 }, 'bufferAfterMinutes'],
      ['an empty name', { ...valid, name: '   ' }, 'name'],
      ['a name of 81 characters', { ...valid, name: 'n'.repeat(81) }, 'name'],
      ['no price', { name: 'Visit', durationMinutes: 30 }, 'price'],
      [
        'an approval deadline of 0 h',
        { ...valid, approvalDeadlineHours: 0 },
        'approvalDeadlineHours',
      ],
      ['a change cutoff of 169 h', { ...valid, changeCutoffHours: 169 }, 'changeCutoffHours'],
      ['an unknown mode', { ...valid, mode: 'telepathy' }, 'mode'],
      [
        '21 questions',
        { ...valid, questions: Array.from({ length: 21 }, (_, i) => question(`q${i}`)) },
        'questions',
      ],
      [
        'a duplicate question key',
        { ...valid, questions: [question('same'), question('other'), question('same')] },
        'questions.2.key',
      ],
      [
        'a malformed question key',
        { ...valid, questions: [question('Bad-Key')] },
        'questions.0.key',
      ],
      [
        'options on a text question',
        { ...valid, questions: [{ ...question('a'), options: ['x', 'y'] }] },
        'questions.0.options',
      ],
      [
        'a choice with one option',
        { ...valid, questions: [{ ...question('a'), kind: 'single_choice', options: ['only'] }] },
        'questions.0.options',
      ],
      [
        'a choice without options',
        { ...valid, questions: [{ ...question('a'), kind: 'multi_choice' }] },
        'questions.0.options',
      ],
      [
        'an unknown question kind',
        { ...valid, questions: [{ ...question('a'), kind: 'essay' }] },
        'questions.0.kind',
      ],
      ['an unknown field', { ...valid, active: false }, 'active'],
      ['a location on a video visit', { ...valid, mode: 'video', location: 'Room 2' }, 'location'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_what, body, field) => {
      const doctor = await createDoctor(app);
      const res = await createType(doctor, body).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(await publicTypes(doctor.id)).toHaveLength(1);
    });

    it('refuses the same mistakes on PATCH', async () => {
      const doctor = await createDoctor(app);
      const [consultation] = await publicTypes(doctor.id);
      const url = `/api/v1/doctors/me/visit-types/${consultation.id}`;
      for (const body of [
        { durationMinutes: 481 },
        { bufferBeforeMinutes: 121 },
        { questions: [question('a'), question('a')] },
        { name: null },
      ]) {
        const res = await app.http.patch(url).set(doctor.auth).send(body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect((await publicTypes(doctor.id))[0]).toMatchObject({
        durationMinutes: 30,
        name: 'Consultation',
      });
    });
  });

  describe('the public doctor', () => {
    it('lists the active types and takes nextAvailableAt as the earliest start over all of them', async () => {
      // The default 30-minute type never fits a 20-minute window; a 10-minute type does.
      const doctor = await createDoctor(app, { rules: everyDay('09:00', '09:20') });
      const before = await app.http.get(`/api/v1/doctors/${doctor.id}`).expect(200);
      expect(before.body.nextAvailableAt).toBeNull();
      expect(before.body.visitTypes).toEqual([
        {
          id: expect.any(String),
          name: 'Consultation',
          durationMinutes: 30,
          price: usd('45.00'),
          mode: 'in_person',
        },
      ]);

      const short = await createType(doctor, {
        name: 'Quick question',
        durationMinutes: 10,
        price: usd('0.00'),
        mode: 'phone',
      }).expect(201);
      const today = DateTime.utc().toISODate()!;
      const soon = DateTime.utc().plus({ days: 14 }).toISODate()!;
      const shortSlots = await slots(doctor.id, today, soon, short.body.id).expect(200);
      expect(shortSlots.body.items.length).toBeGreaterThan(0);

      const after = await app.http.get(`/api/v1/doctors/${doctor.id}`).expect(200);
      expect(after.body.nextAvailableAt).toBe(shortSlots.body.items[0].startsAt);
      expect(after.body.visitTypes.map((type: { name: string }) => type.name)).toEqual([
        'Consultation',
        'Quick question',
      ]);
    });
  });

  describe('slots per type', () => {
    it('offers starts on the doctor grid that fit the visit, buffers reaching outside the window', async () => {
      const doctor = await morningDoctor();
      const type = await createType(doctor, {
        name: 'Long',
        durationMinutes: 45,
        price: usd('80.00'),
        bufferBeforeMinutes: 30,
        bufferAfterMinutes: 15,
      }).expect(201);

      const res = await slots(doctor.id, day, day, type.body.id).expect(200);
      expect(startsOf(res)).toEqual(
        times(
          '09:00',
          '09:15',
          '09:30',
          '09:45',
          '10:00',
          '10:15',
          '10:30',
          '10:45',
          '11:00',
          '11:15',
        ),
      );
      for (const item of res.body.items) {
        expect(item.visitTypeId).toBe(type.body.id);
        // endsAt is the visit, not its buffers.
        expect(Date.parse(item.endsAt) - Date.parse(item.startsAt)).toBe(45 * 60_000);
      }
      // The default type is the 15-minute one, on the same grid.
      const standard = await slots(doctor.id, day, day).expect(200);
      expect(standard.body.items).toHaveLength(12);
      expect(standard.body.items[11]).toEqual({
        startsAt: at('11:45'),
        endsAt: at('12:00'),
        visitTypeId: (await publicTypes(doctor.id))[0].id,
      });
    });

    it("takes neighbouring starts away by a booking's blocked range, for every type", async () => {
      const doctor = await morningDoctor();
      const long = await createType(doctor, {
        name: 'Long',
        durationMinutes: 45,
        price: usd('80.00'),
        bufferAfterMinutes: 15,
      }).expect(201);
      const padded = await createType(doctor, {
        name: 'Padded',
        durationMinutes: 15,
        price: usd('20.00'),
        bufferBeforeMinutes: 15,
      }).expect(201);
      const patient = await fx.patient();
      // Blocks 10:00–11:00: the visit 10:00–10:45 and 15 minutes after it.
      const booked = await book(patient, {
        doctorId: doctor.id,
        startsAt: at('10:00'),
        visitTypeId: long.body.id,
      }).expect(201);
      expect(booked.body).toMatchObject({ startsAt: at('10:00'), endsAt: at('10:45') });
      const [row] = await app.dataSource.query(
        'SELECT blocked_from, blocked_to FROM appointments WHERE id = $1',
        [booked.body.id],
      );
      expect([row.blocked_from.toISOString(), row.blocked_to.toISOString()]).toEqual(
        times('10:00', '11:00').map((iso) => new Date(iso).toISOString()),
      );

      // 15-minute visits: 10:00–10:45 are taken, and the 10:45 start, inside the buffer, too.
      expect(startsOf(await slots(doctor.id, day, day).expect(200))).toEqual(
        times('09:00', '09:15', '09:30', '09:45', '11:00', '11:15', '11:30', '11:45'),
      );
      // 45 + 15 minutes: a start needs an hour clear of [10:00, 11:00).
      expect(startsOf(await slots(doctor.id, day, day, long.body.id).expect(200))).toEqual(
        times('09:00', '11:00', '11:15'),
      );
      // 15 minutes before the visit: 11:00 would reach back into the booking's buffer.
      expect(startsOf(await slots(doctor.id, day, day, padded.body.id).expect(200))).toEqual(
        times('09:00', '09:15', '09:30', '09:45', '11:15', '11:30', '11:45'),
      );
    });

    it('answers 422 INVALID_VISIT_TYPE for another doctor’s, an archived or an unknown type', async () => {
      const doctor = await morningDoctor();
      const other = await morningDoctor();
      const [foreign] = await publicTypes(other.id);
      const archived = await createType(doctor, {
        name: 'Old',
        durationMinutes: 30,
        price: usd('10.00'),
      }).expect(201);
      await app.http
        .delete(`/api/v1/doctors/me/visit-types/${archived.body.id}`)
        .set(doctor.auth)
        .expect(204);
      for (const id of [foreign.id, archived.body.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await slots(doctor.id, day, day, id).expect(422);
        expect(res.body.code).toBe('INVALID_VISIT_TYPE');
      }
      expect((await slots(doctor.id, day, day, 'not-a-uuid').expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
    });
  });

  describe('booking a type', () => {
    const QUESTIONS = [
      { key: 'symptoms', label: 'What brings you in?', kind: 'text', required: true },
      { key: 'history', label: 'Medical history', kind: 'long_text' },
      {
        key: 'insurance',
        label: 'Insurance',
        kind: 'single_choice',
        options: ['public', 'private'],
      },
      {
        key: 'areas',
        label: 'Where does it hurt?',
        kind: 'multi_choice',
        options: ['head', 'back', 'knee'],
      },
      { key: 'first_visit', label: 'First visit?', kind: 'boolean' },
      { key: 'since', label: 'Since when?', kind: 'date' },
    ];

    async function intakeDoctor() {
      const doctor = await morningDoctor();
      const type = await createType(doctor, {
        name: 'New patient',
        durationMinutes: 45,
        price: usd('95.00'),
        bufferAfterMinutes: 15,
        location: 'Room 4',
        questions: QUESTIONS,
      }).expect(201);
      return { doctor, typeId: type.body.id as string };
    }

    it('books it: its price, its length, the answers with their labels for patient, doctor and admin', async () => {
      const { doctor, typeId } = await intakeDoctor();
      const patient = await fx.patient();
      const stranger = await fx.patient();
      const otherDoctor = await morningDoctor();
      const secret = `migraine-aura-${Date.now()}`;
      const res = await book(patient, {
        doctorId: doctor.id,
        startsAt: at('09:30'),
        visitTypeId: typeId,
        reason: 'Headaches',
        answers: {
          symptoms: secret,
          insurance: 'private',
          areas: ['head', 'back'],
          first_visit: true,
          since: '2026-02-28',
        },
      }).expect(201);
      const expectedAnswers = [
        { key: 'symptoms', label: 'What brings you in?', value: secret },
        { key: 'insurance', label: 'Insurance', value: 'private' },
        { key: 'areas', label: 'Where does it hurt?', value: ['head', 'back'] },
        { key: 'first_visit', label: 'First visit?', value: true },
        { key: 'since', label: 'Since when?', value: '2026-02-28' },
      ];
      expect(res.body).toMatchObject({
        status: 'pending_payment',
        startsAt: at('09:30'),
        endsAt: at('10:15'),
        fee: usd('95.00'),
        visitTypeId: typeId,
        visitType: {
          id: typeId,
          name: 'New patient',
          durationMinutes: 45,
          mode: 'in_person',
          location: 'Room 4',
        },
        answers: expectedAnswers,
        approvalDeadlineAt: null,
        declinedAt: null,
        declineReason: null,
      });

      for (const reader of [patient, doctor, admin]) {
        const read = await app.http
          .get(`/api/v1/appointments/${res.body.id}`)
          .set(reader.auth)
          .expect(200);
        expect(read.body.answers).toEqual(expectedAnswers);
        expect(read.body.reason).toBe('Headaches');
      }
      for (const outsider of [stranger, otherDoctor])
        await app.http.get(`/api/v1/appointments/${res.body.id}`).set(outsider.auth).expect(404);

      // The doctor's booking email carries the answers...
      const email = await app.smtp.waitForMessage(
        (m) => m.to.includes(doctor.email) && m.subject === 'New booking',
      );
      expect(email.text).toContain(secret);
      expect(email.text).toContain('What brings you in?');
      expect(email.text).toContain('Where does it hurt?: head, back');
      expect(email.text).toContain('First visit?: Yes');
      expect(email.html).toContain(secret);
      // ...the patient's does not need them.
      const patientEmail = await app.smtp.waitForMessage(
        (m) => m.to.includes(patient.email) && m.subject === 'Booking received',
      );
      expect(patientEmail.text).not.toContain(secret);

      // In-app notifications never carry them, nor does any stored notification once sent.
      for (const reader of [doctor, patient]) {
        const inbox = await waitFor(
          async () => {
            const list = await app.http.get('/api/v1/notifications').set(reader.auth).expect(200);
            return list.body.items.length > 0 ? list.body.items : null;
          },
          { what: 'an in-app notification' },
        );
        expect(JSON.stringify(inbox)).not.toContain(secret);
        expect(JSON.stringify(inbox)).not.toContain('What brings you in?');
      }
      await waitFor(
        async () => {
          const [{ count }] = await app.dataSource.query(
            `SELECT count(*)::int AS count FROM notifications WHERE data::text LIKE $1`,
            [`%${secret}%`],
          );
          return count === 0;
        },
        { what: 'sent notifications to drop the intake answers' },
      );
      // Nor do the events and jobs the booking recorded.
      const [{ leaked }] = await app.dataSource.query(
        'SELECT count(*)::int AS leaked FROM outbox_events WHERE payload::text LIKE $1',
        [`%${secret}%`],
      );
      expect(leaked).toBe(0);
    });

    it('keeps the fee, length and answers labels of booking time when the type changes later', async () => {
      const { doctor, typeId } = await intakeDoctor();
      const patient = await fx.patient();
      const res = await book(patient, {
        doctorId: doctor.id,
        startsAt: at('11:00'),
        visitTypeId: typeId,
        answers: { symptoms: 'Cough' },
      }).expect(201);
      await app.http
        .patch(`/api/v1/doctors/me/visit-types/${typeId}`)
        .set(doctor.auth)
        .send({
          price: usd('120.00'),
          durationMinutes: 60,
          questions: [{ key: 'symptoms', label: 'Renamed', kind: 'text' }],
        })
        .expect(200);
      const read = await app.http.get(`/api/v1/appointments/${res.body.id}`).set(patient.auth);
      expect(read.body).toMatchObject({
        fee: usd('95.00'),
        endsAt: at('11:45'),
        answers: [{ key: 'symptoms', label: 'What brings you in?', value: 'Cough' }],
      });
    });

    it('refuses another doctor’s or an archived type with 422 INVALID_VISIT_TYPE', async () => {
      const { doctor } = await intakeDoctor();
      const other = await morningDoctor();
      const [foreign] = await publicTypes(other.id);
      const patient = await fx.patient();
      const archived = await createType(doctor, {
        name: 'Old',
        durationMinutes: 15,
        price: usd('10.00'),
      }).expect(201);
      await app.http
        .delete(`/api/v1/doctors/me/visit-types/${archived.body.id}`)
        .set(doctor.auth)
        .expect(204);
      for (const visitTypeId of [foreign.id, archived.body.id]) {
        const res = await book(patient, {
          doctorId: doctor.id,
          startsAt: at('09:00'),
          visitTypeId,
        }).expect(422);
        expect(res.body.code).toBe('INVALID_VISIT_TYPE');
      }
      // The foreign type is fine with its own doctor.
      await book(patient, {
        doctorId: other.id,
        startsAt: at('09:00'),
        visitTypeId: foreign.id,
      }).expect(201);
      const [{ count }] = await app.dataSource.query(
        'SELECT count(*)::int AS count FROM appointments WHERE doctor_id = $1',
        [doctor.id],
      );
      expect(count).toBe(0);
    });

    const SECRET = 'zq-private-answer';
    const ok = { symptoms: 'Fine' };
    it.each<[string, Record<string, unknown>, string]>([
      ['a missing required answer', { insurance: 'public' }, 'symptoms'],
      ['a blank required text', { symptoms: '   ' }, 'symptoms'],
      ['text that is a number', { symptoms: 42 }, 'symptoms'],
      ['text over 500 characters', { symptoms: `${SECRET}${'a'.repeat(500)}` }, 'symptoms'],
      [
        'long_text over 4000 characters',
        { ...ok, history: `${SECRET}${'b'.repeat(4000)}` },
        'history',
      ],
      ['long_text that is a boolean', { ...ok, history: false }, 'history'],
      ['an option not offered', { ...ok, insurance: SECRET }, 'insurance'],
      ['single_choice given an array', { ...ok, insurance: ['public'] }, 'insurance'],
      ['an empty multi_choice', { ...ok, areas: [] }, 'areas'],
      ['a multi_choice option not offered', { ...ok, areas: ['head', SECRET] }, 'areas'],
      ['a multi_choice option twice', { ...ok, areas: ['head', 'head'] }, 'areas'],
      ['multi_choice given a string', { ...ok, areas: 'head' }, 'areas'],
      ['boolean given a string', { ...ok, first_visit: 'yes' }, 'first_visit'],
      ['a date that does not exist', { ...ok, since: '2027-02-30' }, 'since'],
      ['a date that is not YYYY-MM-DD', { ...ok, since: `${SECRET} 03/02/2027` }, 'since'],
      ['an unknown key', { ...ok, allergies: SECRET }, 'allergies'],
    ])('refuses %s with 400 and the field answers.<key>', async (_what, answers, key) => {
      const { doctor, typeId } = await intakeDoctor();
      const patient = await fx.patient();
      const res = await book(patient, {
        doctorId: doctor.id,
        startsAt: at('09:00'),
        visitTypeId: typeId,
        answers,
      }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: `answers.${key}`, message: expect.any(String) }]);
      expect(res.text).not.toContain(SECRET);
      const [{ count }] = await app.dataSource.query(
        'SELECT count(*)::int AS count FROM appointments WHERE doctor_id = $1',
        [doctor.id],
      );
      expect(count).toBe(0);
    });

    it('refuses a missing required answer when answers are left out altogether', async () => {
      const { doctor, typeId } = await intakeDoctor();
      const patient = await fx.patient();
      const res = await book(patient, {
        doctorId: doctor.id,
        startsAt: at('09:00'),
        visitTypeId: typeId,
      }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'answers.symptoms', message: expect.any(String) }]);
    });

    it('refuses answers that are not an object with 400', async () => {
      const { doctor, typeId } = await intakeDoctor();
      const patient = await fx.patient();
      const res = await book(patient, {
        doctorId: doctor.id,
        startsAt: at('09:00'),
        visitTypeId: typeId,
        answers: ['Fine'],
      }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe('answers');
    });

    it('answers SLOT_TAKEN where blocked ranges overlap, NOT_A_SLOT off the grid or past the hours', async () => {
      const doctor = await morningDoctor();
      const [consultation] = await publicTypes(doctor.id);
      const long = await createType(doctor, {
        name: 'Long',
        durationMinutes: 45,
        price: usd('80.00'),
        bufferAfterMinutes: 15,
      }).expect(201);
      const padded = await createType(doctor, {
        name: 'Padded',
        durationMinutes: 15,
        price: usd('20.00'),
        bufferBeforeMinutes: 15,
      }).expect(201);
      const [first, second, third] = [await fx.patient(), await fx.patient(), await fx.patient()];
      await book(first, {
        doctorId: doctor.id,
        startsAt: at('10:00'),
        visitTypeId: long.body.id,
      }).expect(201);

      // 10:45 is after the visit but inside its 15 minutes after.
      const inBuffer = await book(second, {
        doctorId: doctor.id,
        startsAt: at('10:45'),
        visitTypeId: consultation.id,
      }).expect(409);
      expect(inBuffer.body.code).toBe('SLOT_TAKEN');
      // 11:00 is clear of the booking, but its own 15 minutes before reach into it.
      const ownBuffer = await book(second, {
        doctorId: doctor.id,
        startsAt: at('11:00'),
        visitTypeId: padded.body.id,
      }).expect(409);
      expect(ownBuffer.body.code).toBe('SLOT_TAKEN');
      // 09:15 + 45 + 15 reaches 10:15.
      const longBefore = await book(second, {
        doctorId: doctor.id,
        startsAt: at('09:15'),
        visitTypeId: long.body.id,
      }).expect(409);
      expect(longBefore.body.code).toBe('SLOT_TAKEN');

      for (const startsAt of [at('09:05'), at('11:30'), at('12:00'), at('08:45')]) {
        const res = await book(third, {
          doctorId: doctor.id,
          startsAt,
          visitTypeId: long.body.id,
        }).expect(422);
        expect(res.body.code).toBe('NOT_A_SLOT');
      }

      // Touching blocked ranges are fine: 09:00 + 45 + 15 ends exactly at 10:00.
      await book(second, {
        doctorId: doctor.id,
        startsAt: at('09:00'),
        visitTypeId: long.body.id,
      }).expect(201);
      await book(third, {
        doctorId: doctor.id,
        startsAt: at('11:15'),
        visitTypeId: padded.body.id,
      }).expect(201);
    });
  });

  describe('change cutoff', () => {
    async function cutoffBooking(hoursAhead: number) {
      const doctor = await fx.doctor({ feeMinor: 0 });
      const type = await createType(doctor, {
        name: 'Cutoff',
        durationMinutes: 30,
        price: usd('0.00'),
        changeCutoffHours: 24,
      }).expect(201);
      const patient = await fx.patient();
      const res = await book(patient, {
        doctorId: doctor.id,
        startsAt: slotAt(hoursAhead),
        visitTypeId: type.body.id,
      }).expect(201);
      return { doctor, patient, id: res.body.id as string };
    }

    it('refuses a patient’s cancel and reschedule inside the cutoff with 409 TOO_LATE_TO_CHANGE', async () => {
      const { patient, id } = await cutoffBooking(10);
      const cancel = await app.http
        .post(`/api/v1/appointments/${id}/cancel`)
        .set(patient.auth)
        .send({})
        .expect(409);
      expect(cancel.body.code).toBe('TOO_LATE_TO_CHANGE');
      const reschedule = await app.http
        .post(`/api/v1/appointments/${id}/reschedule`)
        .set(patient.auth)
        .send({ startsAt: slotAt(40) })
        .expect(409);
      expect(reschedule.body.code).toBe('TOO_LATE_TO_CHANGE');
      const read = await app.http.get(`/api/v1/appointments/${id}`).set(patient.auth).expect(200);
      expect(read.body.status).toBe('confirmed');
    });

    it('lets the doctor cancel inside the cutoff', async () => {
      const { doctor, id } = await cutoffBooking(11);
      const res = await app.http
        .post(`/api/v1/appointments/${id}/cancel`)
        .set(doctor.auth)
        .send({ reason: 'Ill' })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'cancelled', cancelledBy: doctor.id });
    });

    it('lets an admin cancel inside the cutoff', async () => {
      const { id } = await cutoffBooking(12);
      const res = await app.http
        .post(`/api/v1/appointments/${id}/cancel`)
        .set(admin.auth)
        .send({})
        .expect(200);
      expect(res.body).toMatchObject({ status: 'cancelled', cancelledBy: admin.id });
    });

    it('lets the patient reschedule and cancel outside the cutoff, judged from the new start', async () => {
      const { patient, id } = await cutoffBooking(30);
      const moved = await app.http
        .post(`/api/v1/appointments/${id}/reschedule`)
        .set(patient.auth)
        .send({ startsAt: slotAt(50) })
        .expect(200);
      expect(moved.body).toMatchObject({ status: 'confirmed', rescheduledFromId: id });
      await app.http
        .post(`/api/v1/appointments/${moved.body.id}/cancel`)
        .set(patient.auth)
        .send({})
        .expect(200);
    });

    it('keeps the cutoff the appointment was booked with', async () => {
      const { doctor, patient, id } = await cutoffBooking(30);
      const read = await app.http.get(`/api/v1/appointments/${id}`).set(patient.auth).expect(200);
      await app.http
        .patch(`/api/v1/doctors/me/visit-types/${read.body.visitTypeId}`)
        .set(doctor.auth)
        .send({ changeCutoffHours: 48 })
        .expect(200);
      await app.http
        .post(`/api/v1/appointments/${id}/cancel`)
        .set(patient.auth)
        .send({})
        .expect(200);
    });
  });
});
