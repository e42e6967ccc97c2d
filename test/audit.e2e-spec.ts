import { randomUUID } from 'node:crypto';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { insertAppointment } from './support/doctor-helpers';
import { TestApp } from './support/test-app';

interface AuditRow {
  action: string;
  outcome: string;
  actor_id: string | null;
  resource_id: string | null;
}

describe('Audit trail', () => {
  let app: TestApp;
  let fx: BookingFixtures;
  let doctor: Actor;
  let patient: Actor;
  let otherPatient: Actor;
  let admin: Actor;

  const book = (actor: Actor, startsAt: string, headers: Record<string, string> = {}) =>
    app.http
      .post('/api/v1/appointments')
      .set({ ...actor.auth, ...headers })
      .send({ doctorId: doctor.id, startsAt });
  const cancel = (actor: Actor, id: string) =>
    app.http.post(`/api/v1/appointments/${id}/cancel`).set(actor.auth).send({});
  const rows = (where: string, params: unknown[]): Promise<AuditRow[]> =>
    app.dataSource.query(
      `SELECT action, outcome::text AS outcome, actor_id, resource_id FROM audit_logs
       WHERE ${where} ORDER BY at, id`,
      params,
    );
  const statusOf = async (id: string): Promise<string> =>
    (await app.dataSource.query('SELECT status FROM appointments WHERE id = $1', [id]))[0].status;

  /** Runs `act` while a trigger of the test's making is in place, and drops it after. */
  const withTrigger = async (ddl: string, drop: string, act: () => Promise<void>) => {
    await app.dataSource.query(ddl);
    try {
      await act();
    } finally {
      await app.dataSource.query(drop);
    }
  };
  /** Makes every insert of an audit row about `resourceId` fail. */
  const failingAuditInserts = (resourceId: string, act: () => Promise<void>) => {
    const name = `audit_test_refuse_${resourceId.replace(/-/g, '')}`;
    return withTrigger(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit insert refused by the test'; END $$;
       CREATE TRIGGER ${name} BEFORE INSERT ON audit_logs FOR EACH ROW
       WHEN (NEW.resource_id = '${resourceId}') EXECUTE FUNCTION ${name}();`,
      `DROP TRIGGER ${name} ON audit_logs; DROP FUNCTION ${name}();`,
      act,
    );
  };

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
    fx = new BookingFixtures(app);
    doctor = await fx.doctor({ feeMinor: 0 });
    patient = await fx.patient();
    otherPatient = await fx.patient();
    admin = await fx.admin();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('failed attempts', () => {
    it('writes a failed row for a second cancel (INVALID_TRANSITION), served by GET /admin/audit', async () => {
      const booked = await book(patient, slotAt(30)).expect(201);
      await cancel(patient, booked.body.id).expect(200);

      const again = await cancel(patient, booked.body.id).expect(409);

      expect(again.body.code).toBe('INVALID_TRANSITION');
      expect(
        await rows("resource_id = $1 AND action = 'appointment.cancel'", [booked.body.id]),
      ).toEqual([
        {
          action: 'appointment.cancel',
          outcome: 'allowed',
          actor_id: patient.id,
          resource_id: booked.body.id,
        },
        {
          action: 'appointment.cancel',
          outcome: 'failed',
          actor_id: patient.id,
          resource_id: booked.body.id,
        },
      ]);
      const listed = await app.http
        .get(`/api/v1/admin/audit?resourceId=${booked.body.id}&actorId=${patient.id}`)
        .set(admin.auth)
        .expect(200);
      expect(listed.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'appointment.cancel', outcome: 'failed' }),
        ]),
      );
    });

    it('writes a failed row for a booking of a taken slot (SLOT_TAKEN)', async () => {
      const startsAt = slotAt(31);
      await book(patient, startsAt).expect(201);
      const taker = await fx.patient();

      const refused = await book(taker, startsAt).expect(409);

      expect(refused.body.code).toBe('SLOT_TAKEN');
      expect(await rows('actor_id = $1', [taker.id])).toEqual([
        { action: 'appointment.create', outcome: 'failed', actor_id: taker.id, resource_id: null },
      ]);
    });

    it('keeps denials apart from failures', async () => {
      const booked = await book(patient, slotAt(32)).expect(201);

      await cancel(otherPatient, booked.body.id).expect(404);

      expect(
        await rows('actor_id = $1 AND resource_id = $2', [otherPatient.id, booked.body.id]),
      ).toEqual([
        {
          action: 'appointment.cancel',
          outcome: 'denied',
          actor_id: otherPatient.id,
          resource_id: booked.body.id,
        },
      ]);
    });
  });

  describe('changes', () => {
    it('writes the allowed row of a cancel in its transaction: once, and rolled back with it', async () => {
      const booked = await book(patient, slotAt(33)).expect(201);
      const id: string = booked.body.id;
      const name = `audit_test_after_${id.replace(/-/g, '')}`;
      const cancelRows = () => rows("resource_id = $1 AND action = 'appointment.cancel'", [id]);

      // Fails the commit only when the cancel's allowed row is already in its transaction.
      await withTrigger(
        `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF EXISTS (SELECT 1 FROM audit_logs WHERE resource_id = NEW.id
                      AND action = 'appointment.cancel' AND outcome = 'allowed') THEN
             RAISE EXCEPTION 'change failed after its audit row';
           END IF;
           RETURN NULL;
         END $$;
         CREATE CONSTRAINT TRIGGER ${name} AFTER UPDATE ON appointments
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
         WHEN (NEW.id = '${id}') EXECUTE FUNCTION ${name}();`,
        `DROP TRIGGER ${name} ON appointments; DROP FUNCTION ${name}();`,
        async () => {
          await cancel(patient, id).expect(500);
        },
      );
      expect(await statusOf(id)).toBe('confirmed');
      expect(await cancelRows()).toEqual([]);

      await cancel(patient, id).expect(200);

      expect(await cancelRows()).toEqual([
        { action: 'appointment.cancel', outcome: 'allowed', actor_id: patient.id, resource_id: id },
      ]);
    });

    it('writes one allowed row for each change: reschedule, complete, no-show', async () => {
      const booked = await book(patient, slotAt(37)).expect(201);
      await app.http
        .post(`/api/v1/appointments/${booked.body.id}/reschedule`)
        .set(patient.auth)
        .send({ startsAt: slotAt(38) })
        .expect(200);
      const [done, missed] = await Promise.all(
        [1, 2].map(async (daysBack) => {
          const started = await insertAppointment(app, {
            doctorId: doctor.id,
            patientId: patient.id,
            startsAt: new Date(Date.now() - daysBack * 86_400_000),
            minutes: 30,
          });
          return started.id;
        }),
      );
      await app.http.post(`/api/v1/appointments/${done}/complete`).set(doctor.auth).expect(200);
      await app.http.post(`/api/v1/appointments/${missed}/no-show`).set(doctor.auth).expect(200);

      expect(
        await rows("resource_id = ANY($1) AND action <> 'appointment.create'", [
          [booked.body.id, done, missed],
        ]),
      ).toEqual([
        {
          action: 'appointment.reschedule',
          outcome: 'allowed',
          actor_id: patient.id,
          resource_id: booked.body.id,
        },
        {
          action: 'appointment.complete',
          outcome: 'allowed',
          actor_id: doctor.id,
          resource_id: done,
        },
        {
          action: 'appointment.no_show',
          outcome: 'allowed',
          actor_id: doctor.id,
          resource_id: missed,
        },
      ]);
    });

    it('does not commit a change whose audit row cannot be written', async () => {
      const booked = await book(patient, slotAt(34)).expect(201);

      await failingAuditInserts(booked.body.id, async () => {
        await cancel(patient, booked.body.id).expect(500);
      });

      expect(await statusOf(booked.body.id)).toBe('confirmed');
    });

    it('audits an idempotent replay as its own allowed attempt, with the change audited once', async () => {
      const key = { 'Idempotency-Key': randomUUID() };
      const startsAt = slotAt(35);
      const first = await book(otherPatient, startsAt, key).expect(201);

      const replay = await book(otherPatient, startsAt, key).expect(201);

      expect(replay.body.id).toBe(first.body.id);
      expect(await rows('resource_id = $1', [first.body.id])).toEqual([
        {
          action: 'appointment.create',
          outcome: 'allowed',
          actor_id: otherPatient.id,
          resource_id: first.body.id,
        },
        {
          action: 'appointment.create',
          outcome: 'allowed',
          actor_id: otherPatient.id,
          resource_id: first.body.id,
        },
      ]);
    });
  });

  describe('reads', () => {
    it('answers a read and a denial even when their audit rows cannot be written', async () => {
      const booked = await book(patient, slotAt(36)).expect(201);

      await failingAuditInserts(booked.body.id, async () => {
        const read = await app.http
          .get(`/api/v1/appointments/${booked.body.id}`)
          .set(patient.auth)
          .expect(200);
        expect(read.body.id).toBe(booked.body.id);
        await app.http
          .get(`/api/v1/appointments/${booked.body.id}`)
          .set(otherPatient.auth)
          .expect(404);
      });
    });
  });
});
