import type {
  Appointment,
  Bundle,
  CapabilityStatement,
  OperationOutcome,
  Patient,
  Practitioner,
  Resource,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import Client from 'fhir-kit-client';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import { AppointmentStatus, AuditLog, VisitType } from '@app/database';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { createDoctor, insertAppointment } from './support/doctor-helpers';
import { expectValidFhir, fhirProblems } from './support/fhir-validator';
import { TestApp } from './support/test-app';

const FHIR = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json';

/** The body of a FHIR answer, after checking its media type and validating it. */
function resourceOf<T extends Resource>(res: Response, status: number): T {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 800)}`);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  return expectValidFhir(JSON.parse(res.text) as T);
}

/** An error answer: a valid OperationOutcome with this status, issue code and error code. */
function expectOutcome(res: Response, status: number, issue: string, code?: string): void {
  const outcome = resourceOf<OperationOutcome>(res, status);
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0].code).toBe(issue);
  if (code) expect(outcome.issue[0].details?.coding?.[0].code).toBe(code);
}

function resources<T extends Resource>(bundle: Bundle): T[] {
  return (bundle.entry ?? []).map((entry) => entry.resource as T);
}

describe('FHIR R4 facade', () => {
  let app: TestApp;
  let fx: BookingFixtures;

  beforeAll(async () => {
    app = await TestApp.start({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    fx = new BookingFixtures(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string, actor?: Actor) => {
    const req = app.http.get(`${FHIR}/${path}`).set('Accept', FHIR_JSON);
    return actor ? req.set(actor.auth) : req;
  };
  const defaultType = async (doctorId: string): Promise<VisitType> =>
    app.dataSource
      .getRepository(VisitType)
      .findOneOrFail({ where: { doctorId, active: true }, order: { position: 'ASC' } });
  const slotRef = (visitTypeId: string, startsAt: string) =>
    `Slot/${visitTypeId}.${Date.parse(startsAt) / 1000}`;
  const booking = (
    patient: Actor,
    slot: string,
    extra: Partial<Appointment> = {},
  ): Appointment => ({
    resourceType: 'Appointment',
    status: 'booked',
    slot: [{ reference: slot }],
    participant: [{ actor: { reference: `Patient/${patient.id}` }, status: 'accepted' }],
    ...extra,
  });
  const book = (patient: Actor, body: unknown, type = FHIR_JSON) =>
    app.http
      .post(`${FHIR}/Appointment`)
      .set(patient.auth)
      .set('Content-Type', type)
      .send(JSON.stringify(body));

  it('runs a validator that does refuse invalid resources', () => {
    const slot: Slot = {
      resourceType: 'Slot',
      schedule: { reference: 'Schedule/x' },
      status: 'free',
      start: '2027-03-01T09:00:00Z',
      end: '2027-03-01T09:30:00Z',
    };
    expect(fhirProblems(slot)).toEqual([]);
    expect(fhirProblems({ ...slot, status: 'open' as Slot['status'] })).not.toEqual([]);
    expect(fhirProblems({ ...slot, start: '2027-03-01 09:00' })).not.toEqual([]);
    expect(fhirProblems({ ...slot, doctorId: 'x' } as Slot)).not.toEqual([]);
    const booked: Appointment = { resourceType: 'Appointment', status: 'booked', participant: [] };
    expect(fhirProblems(booked)).not.toEqual([]);
  });

  it('describes exactly what it serves in its CapabilityStatement, which is public', async () => {
    const statement = resourceOf<CapabilityStatement>(await get('metadata'), 200);
    expect(statement.fhirVersion).toBe('4.0.1');
    const served = Object.fromEntries(
      statement.rest![0].resource!.map((r) => [r.type, r.interaction!.map((i) => i.code).sort()]),
    );
    expect(served).toEqual({
      Practitioner: ['read', 'search-type'],
      Schedule: ['search-type'],
      Slot: ['search-type'],
      Appointment: ['create', 'read', 'search-type'],
      Patient: ['read'],
    });
    // What it does not list is not there.
    expectOutcome(await get('Observation'), 404, 'not-found');
    expectOutcome(await app.http.delete(`${FHIR}/Slot`), 405, 'not-supported');
  });

  it('reads and searches Practitioners by name, paged with _count and next links', async () => {
    const family = `Fhirson${Date.now()}`;
    const doctors = [];
    for (const first of ['Ada', 'Bea', 'Cy'])
      doctors.push(await fx.doctor({ firstName: first, lastName: family }));

    const one = resourceOf<Practitioner>(await get(`Practitioner/${doctors[0].id}`), 200);
    expect(one).toMatchObject({ id: doctors[0].id, name: [{ family, given: ['Ada'] }] });

    const first = resourceOf<Bundle>(await get(`Practitioner?name=${family}&_count=2`), 200);
    expect(first).toMatchObject({ type: 'searchset', total: 3 });
    expect(resources<Practitioner>(first).map((p) => p.name![0].given![0])).toEqual(['Ada', 'Bea']);
    const next = first.link!.find((l) => l.relation === 'next')!.url;
    const second = resourceOf<Bundle>(
      await app.http.get(new URL(next).pathname + new URL(next).search),
      200,
    );
    expect(resources<Practitioner>(second).map((p) => p.id)).toEqual([doctors[2].id]);
    expect(second.link!.some((l) => l.relation === 'next')).toBe(false);
    expect(second.entry![0].fullUrl).toBe(`${app.baseUrl}${FHIR}/Practitioner/${doctors[2].id}`);

    expectOutcome(await get(`Practitioner/${doctors[0].id.replace(/.$/, '0')}0`), 404, 'not-found');
    expectOutcome(await get('Practitioner?_count=500'), 400, 'invalid', 'VALIDATION_FAILED');
    expectOutcome(await get('Practitioner?family=x'), 400, 'invalid');
  });

  it('has one Schedule per active visit type, id the type’s and serviceType its name', async () => {
    const doctor = await fx.doctor();
    const first = await defaultType(doctor.id);
    const repo = app.dataSource.getRepository(VisitType);
    const second = await repo.save(
      repo.create({
        doctorId: doctor.id,
        name: 'Follow-up',
        durationMinutes: 15,
        priceMinor: 0,
        currency: 'USD',
        position: 5,
      }),
    );
    await repo.save(
      repo.create({
        doctorId: doctor.id,
        name: 'Archived',
        durationMinutes: 15,
        priceMinor: 0,
        currency: 'USD',
        position: 6,
        active: false,
      }),
    );

    const bundle = resourceOf<Bundle>(await get(`Schedule?actor=Practitioner/${doctor.id}`), 200);
    expect(bundle.total).toBe(2);
    expect(resources<Schedule>(bundle).map((s) => [s.id, s.serviceType![0].text])).toEqual([
      [first.id, first.name],
      [second.id, 'Follow-up'],
    ]);
    expect(resources<Schedule>(bundle)[0].actor).toEqual([
      expect.objectContaining({ reference: `Practitioner/${doctor.id}` }),
    ]);
    const nobody = resourceOf<Bundle>(
      await get('Schedule?actor=Practitioner/00000000-0000-4000-8000-000000000000'),
      200,
    );
    expect(nobody.total).toBe(0);
    expectOutcome(await get('Schedule?actor=Patient/x'), 400, 'invalid');
  });

  it('finds the same Slot starts as the REST slots for the same range, across a DST change', async () => {
    const zone = 'Europe/Berlin';
    const doctor = await createDoctor(app, {
      timezone: zone,
      slotDurationMinutes: 20,
      feeMinor: 0,
      rules: [1, 2, 3, 4, 5].map((dayOfWeek) => ({
        dayOfWeek,
        startTime: '08:00',
        endTime: '12:30',
      })),
    });
    const type = await defaultType(doctor.id);
    const patient = await fx.patient();
    const fromDate = DateTime.now().setZone(zone).plus({ days: 2 }).startOf('day');
    const toDate = fromDate.plus({ days: 20 });
    // A booking in the range: both must leave its time out.
    const firstRest = await app.http
      .get(`/api/v1/doctors/${doctor.id}/slots`)
      .query({ from: fromDate.toISODate(), to: toDate.toISODate() })
      .expect(200);
    await insertAppointment(app, {
      doctorId: doctor.id,
      patientId: patient.id,
      startsAt: new Date(firstRest.body.items[3].startsAt),
      minutes: 20,
    });

    const rest = await app.http
      .get(`/api/v1/doctors/${doctor.id}/slots`)
      .query({ from: fromDate.toISODate(), to: toDate.toISODate(), visitTypeId: type.id })
      .expect(200);
    const ge = fromDate.toISO({ suppressMilliseconds: true })!;
    const lt = toDate.plus({ days: 1 }).toISO({ suppressMilliseconds: true })!;
    const bundle = resourceOf<Bundle>(
      await get(
        `Slot?schedule=Schedule/${type.id}&start=ge${encodeURIComponent(ge)}&start=lt${encodeURIComponent(lt)}`,
      ),
      200,
    );

    const slots = resources<Slot>(bundle);
    expect(rest.body.items.length).toBeGreaterThan(100);
    expect(bundle.total).toBe(rest.body.items.length);
    expect(slots.map((s) => [s.start, s.end])).toEqual(
      rest.body.items.map((i: { startsAt: string; endsAt: string }) => [i.startsAt, i.endsAt]),
    );
    for (const slot of slots) {
      expect(slot.status).toBe('free');
      expect(slot.id).toBe(`${type.id}.${Date.parse(slot.start) / 1000}`);
      expect(slot.schedule.reference).toBe(`Schedule/${type.id}`);
    }
    // Paging over the same list.
    const page2 = resourceOf<Bundle>(
      await get(
        `Slot?schedule=Schedule/${type.id}&start=ge${encodeURIComponent(ge)}&start=lt${encodeURIComponent(lt)}&_count=10&_page=2`,
      ),
      200,
    );
    expect(resources<Slot>(page2).map((s) => s.id)).toEqual(slots.slice(10, 20).map((s) => s.id));
  });

  it('refuses Slot searches that are malformed or longer than 31 days', async () => {
    const doctor = await fx.doctor();
    const type = await defaultType(doctor.id);
    const schedule = `schedule=Schedule/${type.id}`;
    expectOutcome(
      await get(`Slot?${schedule}&start=ge2027-01-01T00:00:00Z&start=lt2027-02-02T00:00:01Z`),
      400,
      'invalid',
      'VALIDATION_FAILED',
    );
    expectOutcome(await get(`Slot?${schedule}&start=ge2027-01-01T00:00:00Z`), 400, 'invalid');
    expectOutcome(
      await get(`Slot?${schedule}&start=ge2027-01-02T00:00:00Z&start=lt2027-01-01T00:00:00Z`),
      400,
      'invalid',
    );
    expectOutcome(
      await get(`Slot?${schedule}&start=ge2027-02-30T00:00:00Z&start=lt2027-03-03T00:00:00Z`),
      400,
      'invalid',
    );
    expectOutcome(
      await get('Slot?start=ge2027-01-01T00:00:00Z&start=lt2027-01-02T00:00:00Z'),
      400,
      'invalid',
    );
    const ok = resourceOf<Bundle>(
      await get(`Slot?${schedule}&start=ge2027-01-01T00:00:00Z&start=lt2027-02-01T00:00:00Z`),
      200,
    );
    expect(ok.type).toBe('searchset');
  });

  it('books a Slot through FHIR, and REST shows the appointment; reason and answers only in the Appointment', async () => {
    const doctor = await fx.doctor();
    const repo = app.dataSource.getRepository(VisitType);
    const type = await repo.save(
      repo.create({
        doctorId: doctor.id,
        name: 'Intake visit',
        durationMinutes: 30,
        priceMinor: 0,
        currency: 'USD',
        position: 0,
        requiresApproval: true,
        questions: [
          { key: 'symptoms', label: 'What brings you?', kind: 'text', required: true },
          {
            key: 'areas',
            label: 'Where?',
            kind: 'multi_choice',
            required: false,
            options: ['head', 'back'],
          },
        ],
      }),
    );
    const patient = await fx.patient();
    const startsAt = slotAt(50);
    const answers = [
      {
        url: 'https://doctor-appointment.dev/fhir/StructureDefinition/intake-answer',
        extension: [
          { url: 'key', valueCode: 'symptoms' },
          { url: 'value', valueString: 'Headache' },
        ],
      },
      {
        url: 'https://doctor-appointment.dev/fhir/StructureDefinition/intake-answer',
        extension: [
          { url: 'key', valueCode: 'areas' },
          { url: 'value', valueString: 'head' },
        ],
      },
    ];

    const missing = await book(patient, booking(patient, slotRef(type.id, startsAt)));
    expectOutcome(missing, 400, 'invalid', 'VALIDATION_FAILED');

    const res = await book(
      patient,
      booking(patient, slotRef(type.id, startsAt), {
        reasonCode: [{ text: 'Migraine again' }],
        extension: answers,
      }),
    );
    const created = resourceOf<Appointment>(res, 201);
    expect(res.headers.location).toBe(`${app.baseUrl}${FHIR}/Appointment/${created.id}`);
    expect(created).toMatchObject({
      status: 'pending',
      start: startsAt,
      slot: [{ reference: slotRef(type.id, startsAt) }],
      reasonCode: [{ text: 'Migraine again' }],
      serviceType: [{ text: 'Intake visit' }],
    });
    expect(created.participant.map((p) => p.actor?.reference)).toEqual([
      `Patient/${patient.id}`,
      `Practitioner/${doctor.id}`,
    ]);
    expect(JSON.stringify(created.extension)).toContain('Headache');

    const viaRest = await app.http
      .get(`/api/v1/appointments/${created.id}`)
      .set(patient.auth)
      .expect(200);
    expect(viaRest.body).toMatchObject({
      id: created.id,
      doctorId: doctor.id,
      patientId: patient.id,
      visitTypeId: type.id,
      startsAt,
      status: AppointmentStatus.PendingApproval,
      reason: 'Migraine again',
      answers: [
        { key: 'symptoms', label: 'What brings you?', value: 'Headache' },
        { key: 'areas', label: 'Where?', value: ['head'] },
      ],
    });
    const read = resourceOf<Appointment>(await get(`Appointment/${created.id}`, patient), 200);
    expect(read).toEqual(created);

    // Health data stays in the Appointment: none in the public resources around it.
    const publicTexts = [
      (await get(`Practitioner/${doctor.id}`)).text,
      (await get(`Schedule?actor=Practitioner/${doctor.id}`)).text,
      (await get(`Patient/${patient.id}`, doctor)).text,
    ].join();
    expect(publicTexts).not.toMatch(/Migraine|Headache/);
  });

  it('answers the same Slot booked twice with 409 OperationOutcome conflict', async () => {
    const doctor = await fx.doctor();
    const type = await defaultType(doctor.id);
    const [a, b] = [await fx.patient(), await fx.patient()];
    const slot = slotRef(type.id, slotAt(30));
    resourceOf<Appointment>(await book(a, booking(a, slot)), 201);
    expectOutcome(await book(b, booking(b, slot)), 409, 'conflict', 'SLOT_TAKEN');
    // No longer a free Slot either; the next one of the hour still is.
    const search = resourceOf<Bundle>(
      await get(`Slot?schedule=Schedule/${type.id}&start=ge${slotAt(30)}&start=lt${slotAt(31)}`),
      200,
    );
    expect(resources<Slot>(search).map((s) => s.start)).toEqual([slotAt(30, 30)]);
  });

  it('maps the booking errors of REST to OperationOutcomes', async () => {
    const doctor = await fx.doctor();
    const type = await defaultType(doctor.id);
    const [a, b] = [await fx.patient(), await fx.patient()];
    const slot = slotRef(type.id, slotAt(30));
    expectOutcome(await book(a, booking(b, slot)), 403, 'security', 'FORBIDDEN');
    expectOutcome(
      await book(a, booking(a, slotRef(type.id, slotAt(30, 7)))),
      422,
      'invalid',
      'NOT_A_SLOT',
    );
    expectOutcome(await book(a, booking(a, 'Slot/nonsense')), 422, 'invalid', 'NOT_A_SLOT');
    expectOutcome(await book(a, booking(a, slot, { status: 'fulfilled' })), 400, 'invalid');
    expectOutcome(await book(a, { ...booking(a, slot), doctorId: doctor.id }), 400, 'invalid');
    expectOutcome(await book(doctor, booking(a, slot)), 403, 'security');
    expectOutcome(await book(a, booking(a, slot), 'text/plain'), 415, 'not-supported');
    expectOutcome(
      await app.http.post(`${FHIR}/Appointment`).set('Content-Type', FHIR_JSON).send('{}'),
      401,
      'security',
      'UNAUTHENTICATED',
    );
    // Plain JSON is read too.
    resourceOf<Appointment>(await book(a, booking(a, slot), 'application/json'), 201);
    // FHIR's media type is for /fhir only.
    const elsewhere = await app.http
      .post('/api/v1/appointments')
      .set(a.auth)
      .set('Content-Type', FHIR_JSON)
      .send(JSON.stringify({ doctorId: doctor.id, startsAt: slotAt(40) }));
    expect(elsewhere.status).toBe(415);
    expect(elsewhere.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('lets exactly one of 100 patients booking one Slot at once win', async () => {
    const doctor = await fx.doctor({ feeMinor: 4500 });
    const type = await defaultType(doctor.id);
    const patients: Actor[] = [];
    for (let i = 0; i < 100; i += 1) patients.push(await fx.patient());
    const slot = slotRef(type.id, slotAt(30));

    const responses = await Promise.all(patients.map((p) => book(p, booking(p, slot))));

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    for (const r of responses.filter((x) => x.status === 409))
      expectOutcome(r, 409, 'conflict', 'SLOT_TAKEN');
    const winner = resourceOf<Appointment>(
      responses.find((r) => r.status === 201)!,
      201,
    );
    expect(winner.status).toBe('pending');
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND status IN ('pending_payment', 'confirmed')`,
      [doctor.id],
    );
    expect(n).toBe(1);
  });

  it('is driven by fhir-kit-client: search Slots, book one, read it back', async () => {
    const doctor = await fx.doctor();
    const patient = await fx.patient();
    const client = new Client({ baseUrl: `${app.baseUrl}${FHIR}`, bearerToken: patient.token });

    const schedules = expectValidFhir(
      (await client.search({
        resourceType: 'Schedule',
        searchParams: { actor: `Practitioner/${doctor.id}` },
      })) as Bundle,
    );
    const schedule = resources<Schedule>(schedules)[0];
    const slots = expectValidFhir(
      (await client.search({
        resourceType: 'Slot',
        searchParams: {
          schedule: `Schedule/${schedule.id}`,
          start: [`ge${slotAt(24)}`, `lt${slotAt(48)}`],
          _count: 5,
        },
      })) as Bundle,
    );
    expect(resources<Slot>(slots)).toHaveLength(5);
    const page2 = expectValidFhir((await client.nextPage({ bundle: slots })) as Bundle);
    expect(resources<Slot>(page2)[0].start > resources<Slot>(slots)[4].start).toBe(true);
    const slot = resources<Slot>(slots)[0];

    const created = expectValidFhir(
      (await client.create({
        resourceType: 'Appointment',
        body: booking(patient, `Slot/${slot.id}`, { start: slot.start, end: slot.end }),
      })) as Appointment,
    );
    expect(created).toMatchObject({ status: 'booked', start: slot.start, end: slot.end });
    const read = expectValidFhir(
      (await client.read({ resourceType: 'Appointment', id: created.id! })) as Appointment,
    );
    expect(read.id).toBe(created.id);
    const mine = expectValidFhir(
      (await client.search({
        resourceType: 'Appointment',
        searchParams: { patient: `Patient/${patient.id}` },
      })) as Bundle,
    );
    expect(resources<Appointment>(mine).map((a) => a.id)).toEqual([created.id]);

    // The same Slot again: the client sees the 409 OperationOutcome.
    const again = await client
      .create({ resourceType: 'Appointment', body: booking(patient, `Slot/${slot.id}`) })
      .then(
        () => undefined,
        (error: { response?: { status: number; data: OperationOutcome } }) => error.response,
      );
    expect(again?.status).toBe(409);
    expect(expectValidFhir(again!.data).issue[0].code).toBe('conflict');
  });

  it('keeps Appointments and Patients to their owners: strangers get 404 OperationOutcome', async () => {
    const doctor = await fx.doctor();
    const otherDoctor = await fx.doctor();
    const admin = await fx.admin();
    const [a, b] = [await fx.patient(), await fx.patient()];
    const type = await defaultType(doctor.id);
    const mine = resourceOf<Appointment>(
      await book(a, booking(a, slotRef(type.id, slotAt(60)))),
      201,
    );

    for (const reader of [a, doctor, admin])
      resourceOf<Appointment>(await get(`Appointment/${mine.id}`, reader), 200);
    for (const stranger of [b, otherDoctor])
      expectOutcome(await get(`Appointment/${mine.id}`, stranger), 404, 'not-found', 'NOT_FOUND');
    expectOutcome(await get(`Appointment/${mine.id}`), 401, 'security', 'UNAUTHENTICATED');

    const self = resourceOf<Patient>(await get(`Patient/${a.id}`, a), 200);
    expect(self.telecom).toEqual([{ system: 'email', value: a.email }]);
    const seenByDoctor = resourceOf<Patient>(await get(`Patient/${a.id}`, doctor), 200);
    expect(seenByDoctor.telecom).toBeUndefined();
    expect(seenByDoctor.name?.[0].family).toBe(self.name?.[0].family);
    resourceOf<Patient>(await get(`Patient/${a.id}`, admin), 200);
    for (const stranger of [b, otherDoctor])
      expectOutcome(await get(`Patient/${a.id}`, stranger), 404, 'not-found', 'NOT_FOUND');
    expectOutcome(await get(`Patient/${doctor.id}`, admin), 404, 'not-found');

    const ofA = (reader: Actor) =>
      get(`Appointment?patient=Patient/${a.id}&date=ge${encodeURIComponent(slotAt(1))}`, reader);
    expect(resourceOf<Bundle>(await ofA(a), 200).total).toBe(1);
    expect(resourceOf<Bundle>(await ofA(doctor), 200).total).toBe(1);
    expect(resourceOf<Bundle>(await ofA(b), 200).total).toBe(0);
    expect(resourceOf<Bundle>(await ofA(otherDoctor), 200).total).toBe(0);
    const before = await get(`Appointment?date=lt${encodeURIComponent(slotAt(59))}`, a);
    expect(resourceOf<Bundle>(before, 200).total).toBe(0);
  });

  it('audits FHIR reads like REST reads', async () => {
    const doctor = await fx.doctor();
    const [a, b] = [await fx.patient(), await fx.patient()];
    const type = await defaultType(doctor.id);
    const appointment = resourceOf<Appointment>(
      await book(a, booking(a, slotRef(type.id, slotAt(70)))),
      201,
    );
    await get(`Appointment/${appointment.id}`, a).expect(200);
    await get(`Appointment/${appointment.id}`, b).expect(404);
    await get(`Patient/${a.id}`, doctor).expect(200);

    const rows = await app.dataSource.getRepository(AuditLog).find({
      where: [{ resourceId: appointment.id }, { resourceId: a.id }],
      order: { at: 'ASC' },
    });
    expect(rows.map((r) => [r.action, r.actorId, r.outcome])).toEqual([
      ['appointment.create', a.id, 'allowed'],
      ['appointment.read', a.id, 'allowed'],
      ['appointment.read', b.id, 'denied'],
      ['patient.read', doctor.id, 'allowed'],
    ]);
  });
});
