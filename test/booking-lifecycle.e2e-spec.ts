import { DateTime } from 'luxon';
import { holdExpireJob } from '@app/booking';
import { reminderJob } from '@app/notifications';
import { JobProducer, QueueName } from '@app/queues';
import { Actor, BookingFixtures, slotAt } from './support/booking-fixtures';
import { SinkMessage } from './support/smtp-sink';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** What happens around a booking after the request: emails, holds, reminders, the waitlist. */
describe('Booking lifecycle (api + worker)', () => {
  let app: TestApp;
  let fx: BookingFixtures;

  const auth = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const book = (actor: Actor, doctorId: string, startsAt: string) =>
    app.http.post('/api/v1/appointments').set(auth(actor)).send({ doctorId, startsAt });

  beforeAll(async () => {
    app = await TestApp.start();
    fx = new BookingFixtures(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('emails patient and doctor on booking, and a confirmation with a calendar invite', async () => {
    const doctor = await fx.doctor({ feeMinor: 0 });
    const patient = await fx.patient();
    const res = await book(patient, doctor.id, slotAt(30)).expect(201);
    expect(res.body.status).toBe('confirmed');

    const booked = await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Booking received',
    );
    expect(booked.text).toContain(`/appointments/${res.body.id}`);
    await app.smtp.waitForMessage(
      (m) => m.to.includes(doctor.email) && m.subject === 'New booking',
    );
    const confirmed = await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Appointment confirmed',
    );
    const ics = confirmed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(ics).toBeDefined();
    const calendar = ics!.content.toString('utf8');
    expect(calendar).toContain('BEGIN:VEVENT');
    expect(calendar).toContain(`UID:${res.body.id}@doctor-appointment`);
    expect(calendar).toContain(
      `DTSTART:${DateTime.fromISO(res.body.startsAt).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
    );
    expect(confirmed.headers.get('x-notification-id')).toBeTruthy();

    const inbox = await app.dataSource.query(
      "SELECT user_id, type FROM notifications WHERE channel = 'in_app' AND data->>'appointmentId' = $1",
      [res.body.id],
    );
    expect(inbox).toEqual(
      expect.arrayContaining([
        { user_id: patient.id, type: 'appointment.booked' },
        { user_id: doctor.id, type: 'appointment.booked' },
        { user_id: patient.id, type: 'appointment.confirmed' },
      ]),
    );
  });

  it('schedules reminders for a confirmed appointment, sends them when due, and removes them on cancel', async () => {
    const doctor = await fx.doctor({ feeMinor: 0 });
    const patient = await fx.patient();
    const res = await book(patient, doctor.id, slotAt(48)).expect(201);
    const queue = app.get(JobProducer).queue(QueueName.Booking);
    const ids = app.config.booking.reminderOffsetsMinutes.map((m) =>
      reminderJob.id({ appointmentId: res.body.id, offsetMinutes: m, startsAt: '' }),
    );

    const jobs = await waitFor(
      async () => {
        const found = await Promise.all(ids.map((id) => queue.getJob(id)));
        return found.every(Boolean) ? found : null;
      },
      { what: 'the reminder jobs' },
    );
    for (const job of jobs) {
      expect(await job!.getState()).toBe('delayed');
      const dueAt = job!.timestamp + (job!.opts.delay ?? 0);
      // Due `offsetMinutes` before the start (to within the scheduling round trip).
      const ahead = new Date(res.body.startsAt).getTime() - dueAt;
      expect(Math.abs(ahead - job!.data.offsetMinutes * 60_000)).toBeLessThan(5_000);
    }

    // Run the 24-hour reminder now instead of waiting a day.
    await jobs[0]!.promote();
    const reminder = await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && /^Reminder/.test(m.subject),
    );
    expect(reminder.subject).toBe('Reminder: appointment in 24 hours');

    await app.http
      .post(`/api/v1/appointments/${res.body.id}/cancel`)
      .set(auth(patient))
      .send({})
      .expect(200);
    await waitFor(async () => (await queue.getJob(ids[1]!)) === undefined, {
      what: 'the 1-hour reminder to be removed',
    });
  });

  it('moves reminders and sends an updated invitation on reschedule', async () => {
    const doctor = await fx.doctor({ feeMinor: 0 });
    const patient = await fx.patient();
    const res = await book(patient, doctor.id, slotAt(56)).expect(201);
    const queue = app.get(JobProducer).queue(QueueName.Booking);
    const offset = app.config.booking.reminderOffsetsMinutes[0]!;
    await waitFor(
      async () =>
        queue.getJob(
          reminderJob.id({ appointmentId: res.body.id, offsetMinutes: offset, startsAt: '' }),
        ),
      {
        what: 'the first reminder',
      },
    );

    const moved = await app.http
      .post(`/api/v1/appointments/${res.body.id}/reschedule`)
      .set(auth(patient))
      .send({ startsAt: slotAt(57) })
      .expect(200);
    await waitFor(
      async () =>
        queue.getJob(
          reminderJob.id({ appointmentId: moved.body.id, offsetMinutes: offset, startsAt: '' }),
        ),
      {
        what: 'the moved reminder',
      },
    );
    await waitFor(
      async () =>
        (await queue.getJob(
          reminderJob.id({ appointmentId: res.body.id, offsetMinutes: offset, startsAt: '' }),
        )) === undefined,
      {
        what: 'the old reminder to be removed',
      },
    );
    const mail = await app.smtp.waitForMessage(
      (m) => m.to.includes(doctor.email) && m.subject === 'Appointment rescheduled',
    );
    const ics = mail.attachments
      .find((a) => a.contentType.startsWith('text/calendar'))!
      .content.toString('utf8');
    // The calendar event keeps the first appointment's UID, so calendars move it instead of adding one.
    expect(ics).toContain(`UID:${res.body.id}@doctor-appointment`);
  });

  it('keeps one calendar UID across a chain of reschedules and its final cancellation', async () => {
    const doctor = await fx.doctor({ feeMinor: 0 });
    const patient = await fx.patient();
    const first = await book(patient, doctor.id, slotAt(60)).expect(201);
    const reschedule = async (id: string, hoursAhead: number) =>
      (
        await app.http
          .post(`/api/v1/appointments/${id}/reschedule`)
          .set(auth(patient))
          .send({ startsAt: slotAt(hoursAhead) })
          .expect(200)
      ).body.id as string;
    const second = await reschedule(first.body.id, 61);
    const third = await reschedule(second, 62);
    await app.http
      .post(`/api/v1/appointments/${third}/cancel`)
      .set(auth(patient))
      .send({})
      .expect(200);

    const uidOf = (m: SinkMessage) =>
      /^UID:(.+)$/m
        .exec(
          m.attachments
            .find((a) => a.contentType.startsWith('text/calendar'))!
            .content.toString('utf8'),
        )?.[1]
        ?.trim();
    const invites = await waitFor(
      () => {
        const withIcs = app.smtp
          .to(doctor.email)
          .filter((m) => m.attachments.some((a) => a.contentType.startsWith('text/calendar')));
        const subjects = withIcs.map((m) => m.subject);
        const done =
          subjects.includes('Appointment confirmed') &&
          subjects.filter((s) => s === 'Appointment rescheduled').length === 2 &&
          subjects.includes('Appointment cancelled');
        return done ? withIcs : null;
      },
      { what: 'the invites of both reschedules and the cancellation' },
    );
    // Confirmation, two updates and the CANCEL all address the first appointment's calendar entry.
    expect(invites.map((m) => m.subject).sort()).toEqual([
      'Appointment cancelled',
      'Appointment confirmed',
      'Appointment rescheduled',
      'Appointment rescheduled',
    ]);
    expect(new Set(invites.map(uidOf))).toEqual(new Set([`${first.body.id}@doctor-appointment`]));
  });

  it('sends nothing when a stale reminder runs for a cancelled appointment', async () => {
    const doctor = await fx.doctor({ feeMinor: 0 });
    const patient = await fx.patient();
    const res = await book(patient, doctor.id, slotAt(50)).expect(201);
    await app.http
      .post(`/api/v1/appointments/${res.body.id}/cancel`)
      .set(auth(patient))
      .send({})
      .expect(200);
    const job = await app
      .get(JobProducer)
      .enqueue(
        reminderJob,
        { appointmentId: res.body.id, offsetMinutes: 60, startsAt: res.body.startsAt },
        { jobId: `stale-${res.body.id}` },
      );
    await waitFor(async () => (await job.getState()) === 'completed', {
      what: 'the stale reminder job',
    });
    expect(app.smtp.to(patient.email).filter((m) => /^Reminder/.test(m.subject))).toHaveLength(0);
  });

  it('expires an unpaid hold, frees the slot, tells the patient and alerts the waitlist', async () => {
    const doctor = await fx.doctor({ feeMinor: 2500 });
    const holder = await fx.patient();
    const waiting = await fx.patient();
    const startsAt = slotAt(52);
    const day = startsAt.slice(0, 10);
    const held = await book(holder, doctor.id, startsAt).expect(201);
    await app.http
      .post('/api/v1/waitlist')
      .set(auth(waiting))
      .send({ doctorId: doctor.id, from: day, to: day })
      .expect(201);
    const slotsBefore = await app.http
      .get(`/api/v1/doctors/${doctor.id}/slots?from=${day}&to=${day}`)
      .expect(200);
    expect(slotsBefore.body.items.map((s: { startsAt: string }) => s.startsAt)).not.toContain(
      startsAt,
    );

    // The hold ran out: move its deadline into the past and let the expiry job run.
    await app.dataSource.query(
      "UPDATE appointments SET hold_expires_at = now() - interval '1 second' WHERE id = $1",
      [held.body.id],
    );
    const freedAt = Date.now();
    await app
      .get(JobProducer)
      .enqueue(
        holdExpireJob,
        { appointmentId: held.body.id },
        { jobId: `expire-now-${held.body.id}` },
      );

    await waitFor(
      async () => {
        const res = await app.http.get(`/api/v1/appointments/${held.body.id}`).set(auth(holder));
        return res.body.status === 'expired';
      },
      { what: 'the hold to expire' },
    );
    const alert = await app.smtp.waitForMessage(
      (m) => m.to.includes(waiting.email) && /is available/.test(m.subject),
    );
    const latencyMs = Date.now() - freedAt;
    console.log(`Waitlist alert latency (hold expiry → email in the SMTP sink): ${latencyMs} ms`);
    expect(alert.text).toContain(
      `/doctors/${doctor.id}/book?startsAt=${encodeURIComponent(startsAt)}`,
    );
    await app.smtp.waitForMessage(
      (m) => m.to.includes(holder.email) && m.subject === 'Your slot was released',
    );

    const slotsAfter = await app.http
      .get(`/api/v1/doctors/${doctor.id}/slots?from=${day}&to=${day}`)
      .expect(200);
    expect(slotsAfter.body.items.map((s: { startsAt: string }) => s.startsAt)).toContain(startsAt);
    const entries = await app.http.get('/api/v1/waitlist').set(auth(waiting)).expect(200);
    expect(entries.body.items[0].lastNotifiedAt).toBeTruthy();
    // First to book wins.
    await book(waiting, doctor.id, startsAt).expect(201);
  });

  it('alerts the waitlist when a cancellation frees a slot, and measures how fast', async () => {
    const doctor = await fx.doctor({ feeMinor: 0 });
    const booker = await fx.patient();
    const waiting = await fx.patient();
    const startsAt = slotAt(54);
    const day = startsAt.slice(0, 10);
    const res = await book(booker, doctor.id, startsAt).expect(201);
    await app.http
      .post('/api/v1/waitlist')
      .set(auth(waiting))
      .send({ doctorId: doctor.id, from: day, to: day })
      .expect(201);

    const cancelledAt = Date.now();
    await app.http
      .post(`/api/v1/appointments/${res.body.id}/cancel`)
      .set(auth(booker))
      .send({})
      .expect(200);
    await app.smtp.waitForMessage(
      (m) => m.to.includes(waiting.email) && /is available/.test(m.subject),
    );
    console.log(
      `Waitlist alert latency (cancel → email in the SMTP sink): ${Date.now() - cancelledAt} ms`,
    );
    const [inApp] = await app.dataSource.query(
      "SELECT data FROM notifications WHERE user_id = $1 AND channel = 'in_app' AND type = 'waitlist.slot_available'",
      [waiting.id],
    );
    expect(inApp.data).toMatchObject({ doctorId: doctor.id, startsAt });
    await app.smtp.waitForMessage(
      (m) => m.to.includes(booker.email) && m.subject === 'Appointment cancelled',
    );
  });

  describe('waitlist endpoints', () => {
    it('joins, lists and leaves; others cannot touch the entry', async () => {
      const doctor = await fx.doctor();
      const patient = await fx.patient();
      const other = await fx.patient();
      const from = slotAt(24).slice(0, 10);
      const to = slotAt(24 * 5).slice(0, 10);
      const joined = await app.http
        .post('/api/v1/waitlist')
        .set(auth(patient))
        .send({ doctorId: doctor.id, from, to })
        .expect(201);
      expect(joined.body).toMatchObject({ doctorId: doctor.id, from, to, lastNotifiedAt: null });
      const mine = await app.http.get('/api/v1/waitlist').set(auth(patient)).expect(200);
      expect(mine.body.items.map((e: { id: string }) => e.id)).toEqual([joined.body.id]);
      expect(
        (await app.http.get('/api/v1/waitlist').set(auth(other)).expect(200)).body.items,
      ).toEqual([]);
      await app.http.delete(`/api/v1/waitlist/${joined.body.id}`).set(auth(other)).expect(404);
      await app.http.delete(`/api/v1/waitlist/${joined.body.id}`).set(auth(patient)).expect(204);
      await app.http.delete(`/api/v1/waitlist/${joined.body.id}`).set(auth(patient)).expect(404);
      expect(
        (await app.http.get('/api/v1/waitlist').set(auth(patient)).expect(200)).body.items,
      ).toEqual([]);
    });

    it('refuses bad ranges, unknown doctors, other roles and extra fields', async () => {
      const doctor = await fx.doctor();
      const patient = await fx.patient();
      const day = slotAt(48).slice(0, 10);
      const post = (who: Actor, body: Record<string, unknown>) =>
        app.http.post('/api/v1/waitlist').set(auth(who)).send(body);
      expect(
        (await post(patient, { doctorId: doctor.id, from: day, to: '2020-01-01' })).body.code,
      ).toBe('VALIDATION_FAILED');
      expect(
        (await post(patient, { doctorId: doctor.id, from: '2020-01-01', to: '2020-01-02' })).status,
      ).toBe(400);
      expect((await post(patient, { doctorId: doctor.id, from: 'monday', to: day })).status).toBe(
        400,
      );
      expect(
        (await post(patient, { doctorId: doctor.id, from: day, to: '2099-01-01' })).status,
      ).toBe(400);
      expect(
        (
          await post(patient, {
            doctorId: '00000000-0000-4000-8000-000000000000',
            from: day,
            to: day,
          })
        ).status,
      ).toBe(404);
      expect(
        (await post(patient, { doctorId: doctor.id, from: day, to: day, active: false })).status,
      ).toBe(400);
      expect((await post(doctor, { doctorId: doctor.id, from: day, to: day })).status).toBe(403);
      expect(
        (await app.http.post('/api/v1/waitlist').send({ doctorId: doctor.id, from: day, to: day }))
          .status,
      ).toBe(401);
    });
  });
});
