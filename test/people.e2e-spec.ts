import { randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { AppointmentStatus, Locale, PaymentStatus } from '@app/database';
import { formatWhen } from '@app/notifications';
import { FakePayPal } from './fakes/paypal-fake';
import { PaymentFlow } from './fakes/payment-flow';
import {
  bearer,
  DEFAULT_TEST_PASSWORD,
  login,
  loginAdmin,
  registerAndLogin,
  TestUser,
  uniqueEmail,
} from './support/auth-helpers';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { SinkMessage } from './support/smtp-sink';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const hex = () => randomBytes(5).toString('hex');

describe('People: language and privacy', () => {
  let fake: FakePayPal;
  let app: TestApp;
  let fx: BookingFixtures;
  let flow: PaymentFlow;

  beforeAll(async () => {
    fake = await FakePayPal.start();
    app = await TestApp.start({ env: fake.env() });
    fx = new BookingFixtures(app);
    flow = new PaymentFlow(app, fake);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const mailTo = (email: string, subject: string): Promise<SinkMessage> =>
    app.smtp.waitForMessage((m) => m.to.includes(email) && m.subject === subject, 30_000);

  /** A doctor (en, New York profile) with a paid or free visit type asking one question. */
  async function doctorWithIntake(price = '0.00') {
    const doctor = await fx.doctor({ timezone: 'America/New_York', lastName: `Hart${hex()}` });
    const type = await app.http
      .post('/api/v1/doctors/me/visit-types')
      .set(doctor.auth)
      .send({
        name: 'Intake visit',
        durationMinutes: 30,
        price: { amount: price, currency: 'USD' },
        questions: [{ key: 'symptoms', label: 'What brings you in?', kind: 'text' }],
      })
      .expect(201);
    return { doctor, visitTypeId: type.body.id as string };
  }

  const asActor = (session: TestUser): Actor => ({
    id: session.user.id,
    email: session.email,
    role: session.user.role,
    token: session.accessToken,
    auth: bearer(session.accessToken),
  });

  describe('locale', () => {
    it('is set at registration, shown by GET /me and changed by PATCH /me', async () => {
      const email = uniqueEmail('locale');
      const created = await app.http
        .post('/api/v1/auth/register')
        .send({
          email,
          password: DEFAULT_TEST_PASSWORD,
          firstName: 'Lena',
          lastName: 'Vogel',
          locale: 'de',
        })
        .expect(201);
      expect(created.body.locale).toBe(Locale.De);
      const session = await login(app, email, DEFAULT_TEST_PASSWORD);
      const me = await app.http.get('/api/v1/me').set(bearer(session.accessToken)).expect(200);
      expect(me.body).toMatchObject({ locale: 'de', erasedAt: null });
      const changed = await app.http
        .patch('/api/v1/me')
        .set(bearer(session.accessToken))
        .send({ locale: 'fr' })
        .expect(200);
      expect(changed.body.locale).toBe(Locale.Fr);
    });

    it('defaults to en', async () => {
      const session = await registerAndLogin(app);
      expect(session.user).toMatchObject({ locale: 'en' });
    });

    it('refuses an unknown locale with 400 on register and PATCH /me', async () => {
      const register = await app.http
        .post('/api/v1/auth/register')
        .send({
          email: uniqueEmail('xx'),
          password: DEFAULT_TEST_PASSWORD,
          firstName: 'X',
          lastName: 'X',
          locale: 'xx',
        })
        .expect(400);
      expect(register.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(register.body.errors).toEqual([expect.objectContaining({ field: 'locale' })]);
      const session = await registerAndLogin(app);
      for (const locale of ['xx', 'DE', null, 7]) {
        const res = await app.http
          .patch('/api/v1/me')
          .set(bearer(session.accessToken))
          .send({ locale })
          .expect(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'locale' })]);
      }
    });
  });

  describe('emails in each reader’s language and zone', () => {
    it('tells a de patient in Berlin and an en doctor in New York about the same booking', async () => {
      const { doctor, visitTypeId } = await doctorWithIntake();
      const patient = await registerAndLogin(app, {
        firstName: 'Lena',
        lastName: `Vogel${hex()}`,
        timezone: 'Europe/Berlin',
        locale: Locale.De,
      });
      const startsAt = slotAt(72);
      const booked = await app.http
        .post('/api/v1/appointments')
        .set(bearer(patient.accessToken))
        .send({ doctorId: doctor.id, startsAt, visitTypeId, answers: { symptoms: 'Husten' } })
        .expect(201);
      expect(booked.body.status).toBe(AppointmentStatus.Confirmed);

      const [patientBooked, patientConfirmed, doctorBooked, doctorConfirmed] = await Promise.all([
        mailTo(patient.email, 'Buchung eingegangen'),
        mailTo(patient.email, 'Termin bestätigt'),
        mailTo(doctor.email, 'New booking'),
        mailTo(doctor.email, 'Appointment confirmed'),
      ]);
      const berlin = formatWhen(startsAt, 'Europe/Berlin', Locale.De);
      const newYork = formatWhen(startsAt, 'America/New_York', Locale.En);
      expect(berlin).toMatch(/^\p{L}+, \d+\. \p{L}+ \d{4} um \d\d:\d\d (MEZ|MESZ)$/u);
      expect(newYork).toMatch(/ at \d\d:\d\d (GMT-[45]|EST|EDT)$/);
      for (const mail of [patientBooked, patientConfirmed]) {
        expect(mail.text).toContain(`Wann: ${berlin}`);
        expect(mail.text).not.toContain(newYork);
        expect(mail.html).toContain('<html lang="de">');
        expect(mail.text).toContain('Referenz:');
      }
      expect(patientConfirmed.text).toContain('Der Termin ist bestätigt.');
      for (const mail of [doctorBooked, doctorConfirmed]) {
        expect(mail.text).toContain(`When: ${newYork}`);
        expect(mail.html).toContain('<html lang="en">');
      }
      // The intake answer is the doctor's, with the frame in the doctor's language.
      expect(doctorBooked.text).toContain('From the patient');
      expect(doctorBooked.text).toContain('What brings you in?: Husten');
      expect(patientBooked.text).not.toContain('Husten');

      // The calendar invitations' summaries, each in its reader's language.
      const summary = (mail: SinkMessage) => {
        const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
        const event = new ICAL.Component(ICAL.parse(ics.content.toString('utf8')));
        return event.getFirstSubcomponent('vevent')!.getFirstPropertyValue('summary');
      };
      expect(summary(patientConfirmed)).toMatch(/^Termin mit Dr\. Hart/);
      expect(summary(doctorConfirmed)).toBe(`Appointment with Lena ${patient.user.lastName}`);

      // In-app notifications too.
      const inbox = await waitFor(
        async () => {
          const res = await app.http
            .get('/api/v1/notifications')
            .set(bearer(patient.accessToken))
            .expect(200);
          return res.body.items.length >= 2 ? res.body.items : null;
        },
        { what: 'the patient’s in-app notifications' },
      );
      expect(inbox.map((n: { title: string }) => n.title).sort()).toEqual([
        'Buchung eingegangen',
        'Termin bestätigt',
      ]);
    });

    it('follows a language change for the next email', async () => {
      const patient = await registerAndLogin(app, { timezone: 'Europe/Madrid' });
      await app.http
        .patch('/api/v1/me')
        .set(bearer(patient.accessToken))
        .send({ locale: 'es' })
        .expect(200);
      await app.http
        .post('/api/v1/auth/forgot-password')
        .send({ email: patient.email })
        .expect(202);
      const mail = await mailTo(patient.email, 'Restablezca su contraseña');
      expect(mail.text).toContain(`Hola, ${patient.user.firstName}:`);
    });
  });

  describe('GET /me/export', () => {
    it('holds the appointments with their answers, payments, notifications and the access log, and no secret', async () => {
      const { doctor, visitTypeId } = await doctorWithIntake();
      const patient = await registerAndLogin(app, { firstName: 'Ines', lastName: `Roth${hex()}` });
      const answer = `Export answer ${hex()}`;
      const booked = await app.http
        .post('/api/v1/appointments')
        .set(bearer(patient.accessToken))
        .send({
          doctorId: doctor.id,
          startsAt: slotAt(80),
          visitTypeId,
          answers: { symptoms: answer },
        })
        .expect(201);
      await app.http
        .post('/api/v1/waitlist')
        .set(bearer(patient.accessToken))
        .send({ doctorId: doctor.id, from: slotAt(200).slice(0, 10), to: slotAt(240).slice(0, 10) })
        .expect(201);
      // The doctor reads it: the export's access log shows who.
      await app.http.get(`/api/v1/appointments/${booked.body.id}`).set(doctor.auth).expect(200);
      await mailTo(patient.email, 'Booking received');

      const res = await app.http
        .get('/api/v1/me/export')
        .set(bearer(patient.accessToken))
        .expect(200);
      const data = res.body;
      expect(data.profile).toMatchObject({
        id: patient.user.id,
        email: patient.email,
        locale: 'en',
      });
      expect(data.profile.sessions.length).toBeGreaterThan(0);
      expect(data.appointments).toEqual([
        expect.objectContaining({
          id: booked.body.id,
          role: 'patient',
          answers: [{ key: 'symptoms', label: 'What brings you in?', value: answer }],
          history: [expect.objectContaining({ toStatus: 'confirmed' })],
        }),
      ]);
      expect(data.waitlist).toHaveLength(1);
      expect(data.payments).toEqual([]);
      expect(data.practice).toBeNull();
      expect(data.notifications.map((n: { type: string }) => n.type)).toContain(
        'appointment.booked',
      );
      expect(data.accessLog).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorId: doctor.id,
            action: 'appointment.read',
            resourceId: booked.body.id,
          }),
        ]),
      );

      // No secret: no hash of a password, a refresh token or a one-time link.
      const text = JSON.stringify(data);
      const [hashes] = await app.dataSource.query(
        `SELECT u.password_hash,
                array(SELECT token_hash FROM refresh_tokens WHERE user_id = u.id) AS refresh,
                array(SELECT token_hash FROM one_time_tokens WHERE user_id = u.id) AS one_time
           FROM users u WHERE u.id = $1`,
        [patient.user.id],
      );
      expect(hashes.refresh.length).toBeGreaterThan(0);
      for (const secret of [hashes.password_hash, ...hashes.refresh, ...hashes.one_time]) {
        expect(text).not.toContain(secret);
      }
      for (const secret of [patient.refreshToken, patient.accessToken, patient.password]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/passwordHash|tokenHash|tokenVersion|\$argon2|token=/);

      // The doctor's export holds the practice, and the appointment without the patient's answers.
      const mine = await app.http.get('/api/v1/me/export').set(doctor.auth).expect(200);
      expect(mine.body.practice.visitTypes.map((t: { id: string }) => t.id)).toContain(visitTypeId);
      expect(mine.body.appointments).toEqual([
        expect.objectContaining({ id: booked.body.id, role: 'doctor', answers: [], reason: null }),
      ]);
      expect(JSON.stringify(mine.body)).not.toContain(answer);
    });
  });

  describe('DELETE /me', () => {
    it('cancels and refunds a paid appointment in 10 days, anonymizes everything, ends every token', async () => {
      const { doctor, visitTypeId } = await doctorWithIntake('45.00');
      const canary = {
        email: uniqueEmail('erase'),
        firstName: `Zelda${hex()}`,
        lastName: `Quux${hex()}`,
        phone: `+49 30 ${Math.floor(1e6 + Math.random() * 8e6)}`,
      };
      const patient = await registerAndLogin(app, canary);
      const answer = `Erase answer ${hex()}`;
      const reason = `Erase reason ${hex()}`;
      const booked = await app.http
        .post('/api/v1/appointments')
        .set(bearer(patient.accessToken))
        .set('Idempotency-Key', hex())
        .send({
          doctorId: doctor.id,
          startsAt: slotAt(240),
          visitTypeId,
          reason,
          answers: { symptoms: answer },
        })
        .expect(201);
      const held = { doctor, patient: asActor(patient), appointmentId: booked.body.id as string };
      const payment = await flow.payment(held);
      fake.approve(payment.providerOrderId!);
      await flow.capture(held.patient, payment.id).expect(202);
      await flow.waitForPayment(payment.id, PaymentStatus.Captured);
      await app.http
        .post('/api/v1/waitlist')
        .set(bearer(patient.accessToken))
        .send({ doctorId: doctor.id, from: slotAt(300).slice(0, 10), to: slotAt(320).slice(0, 10) })
        .expect(201);
      // The doctor's booking email (with the answer) and the doctor's in-app rows exist first.
      await app.smtp.waitForMessage((m) => m.to.includes(doctor.email) && m.text.includes(answer));
      const feed = await app.http
        .post('/api/v1/me/calendar-feed')
        .set(bearer(patient.accessToken))
        .expect(201);
      const feedPath = new URL(feed.body.url as string).pathname;
      await app.http.get(feedPath).expect(200);

      await app.http
        .delete('/api/v1/me')
        .set(bearer(patient.accessToken))
        .send({ password: 'not the password' })
        .expect(403);
      const erased = await app.http
        .delete('/api/v1/me')
        .set(bearer(patient.accessToken))
        .send({ password: patient.password })
        .expect(202);
      expect(erased.body).toEqual({
        id: patient.user.id,
        erasedAt: expect.any(String),
        cancelledAppointmentIds: [booked.body.id],
      });

      // Refunded in full through the fake PayPal (10 days ahead: the patient's policy refunds).
      await flow.waitForPayment(payment.id, PaymentStatus.Refunded);
      expect(fake.requests('refund').map((r) => r.body)).toContainEqual({
        amount: { currency_code: 'USD', value: '45.00' },
      });

      // Tokens, credentials and the calendar feed are gone.
      await app.http.get('/api/v1/me').set(bearer(patient.accessToken)).expect(401);
      await app.http.get(feedPath).expect(404);
      await app.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: patient.refreshToken })
        .expect(401);
      await app.http
        .post('/api/v1/auth/login')
        .send({ email: canary.email, password: patient.password })
        .expect(401);

      // The doctor keeps the appointment, pointing at the placeholder; the doctor is told.
      const view = await app.http
        .get(`/api/v1/appointments/${booked.body.id}`)
        .set(doctor.auth)
        .expect(200);
      expect(view.body).toMatchObject({
        status: 'cancelled',
        reason: null,
        patient: { id: patient.user.id, firstName: 'Deleted', lastName: 'account' },
        answers: [{ key: 'symptoms', label: 'What brings you in?', value: '[erased]' }],
      });
      const cancelled = await mailTo(doctor.email, 'Appointment cancelled');
      expect(cancelled.text).toContain('Appointment with Deleted account cancelled');
      expect(cancelled.text).toContain('cancelled by the patient');

      // No row of any table still holds the email, the name, the phone, the answer or the reason.
      const needles = [
        canary.email,
        canary.firstName,
        canary.lastName,
        canary.phone,
        answer,
        reason,
      ];
      expect(await rowsHolding(needles)).toEqual([]);
      // Audited: the refused attempt (wrong password) and the erasure.
      const audit = await app.dataSource.query(
        `SELECT resource_id, outcome FROM audit_logs
          WHERE action = 'account.erase' AND actor_id = $1 ORDER BY at`,
        [patient.user.id],
      );
      expect(audit).toEqual([
        { resource_id: null, outcome: 'denied' },
        { resource_id: patient.user.id, outcome: 'allowed' },
      ]);

      // The address can register again, as a new account.
      const again = await app.http
        .post('/api/v1/auth/register')
        .send({ ...canary, password: DEFAULT_TEST_PASSWORD })
        .expect(201);
      expect(again.body.id).not.toBe(patient.user.id);
      await login(app, canary.email, DEFAULT_TEST_PASSWORD);
    });

    it('is for patients only, and answers 400 without a password', async () => {
      const doctor = await fx.doctor();
      await app.http.delete('/api/v1/me').set(doctor.auth).send({ password: 'x' }).expect(403);
      const patient = await registerAndLogin(app);
      await app.http.delete('/api/v1/me').set(bearer(patient.accessToken)).send({}).expect(400);
      await app.http.delete('/api/v1/me').send({ password: 'x' }).expect(401);
    });
  });

  describe('DELETE /admin/users/:id', () => {
    it('erases a doctor: their future appointments are cancelled by the doctor and the patients told', async () => {
      const admin = await loginAdmin(app);
      const { doctor, visitTypeId } = await doctorWithIntake();
      const patient = await registerAndLogin(app, { locale: Locale.Fr });
      const booked = await app.http
        .post('/api/v1/appointments')
        .set(bearer(patient.accessToken))
        .send({ doctorId: doctor.id, startsAt: slotAt(30), visitTypeId })
        .expect(201);
      const res = await app.http
        .delete(`/api/v1/admin/users/${doctor.id}`)
        .set(bearer(admin.accessToken))
        .expect(202);
      expect(res.body.cancelledAppointmentIds).toEqual([booked.body.id]);
      const mail = await mailTo(patient.email, 'Rendez-vous annulé');
      expect(mail.text).toContain('annulé par le cabinet');
      const [row] = await app.dataSource.query(
        'SELECT status, cancelled_by FROM appointments WHERE id = $1',
        [booked.body.id],
      );
      expect(row).toEqual({ status: 'cancelled', cancelled_by: doctor.id });
      await app.http.get(`/api/v1/doctors/${doctor.id}`).expect(404);
      await app.http.get('/api/v1/me').set(doctor.auth).expect(401);
      expect(await rowsHolding([doctor.email])).toEqual([]);
    });

    it('refuses an admin’s own account, and answers 404 for an unknown one', async () => {
      const admin = await loginAdmin(app);
      await app.http
        .delete(`/api/v1/admin/users/${admin.user.id}`)
        .set(bearer(admin.accessToken))
        .expect(409);
      await app.http
        .delete('/api/v1/admin/users/00000000-0000-4000-8000-000000000000')
        .set(bearer(admin.accessToken))
        .expect(404);
      const patient = await registerAndLogin(app);
      await app.http
        .delete(`/api/v1/admin/users/${patient.user.id}`)
        .set(bearer(patient.accessToken))
        .expect(403);
    });
  });

  /** `table.column` of every text or json column of every table that holds one of `needles`. */
  async function rowsHolding(needles: string[]): Promise<string[]> {
    const columns: {
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
    }[] = await app.dataSource.query(
      `SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
          WHERE table_schema = 'public'
            AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                 OR udt_name = 'citext')`,
    );
    const found: string[] = [];
    for (const c of columns) {
      const [{ count }] = await app.dataSource.query(
        `SELECT count(*)::int AS count FROM "${c.table_name}"
          WHERE lower("${c.column_name}"::text) LIKE ANY ($1)`,
        [needles.map((n) => `%${n.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`)],
      );
      if (count > 0) found.push(`${c.table_name}.${c.column_name}`);
    }
    return found;
  }
});
