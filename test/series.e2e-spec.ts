import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { AppointmentStatus, PaymentStatus } from '@app/database';
import { PaymentProviderError, PayPalClient } from '@app/payments';
import { EventType } from '@app/queues';
import { FakePayPal } from './fakes/paypal-fake';
import { auth, PaymentFlow } from './fakes/payment-flow';
import { Actor, slotAt } from './support/booking-fixtures';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface SeriesBody {
  id: string;
  status: string;
  count: number;
  appointments: { id: string; startsAt: string; status: AppointmentStatus; seriesId: string }[];
}

const WEEK_MS = 7 * 24 * 3_600_000;

describe('Recurring series', () => {
  let fake: FakePayPal;
  let app: TestApp;
  let flow: PaymentFlow;

  const book = (patient: Actor, body: Record<string, unknown>) =>
    app.http.post('/api/v1/appointment-series').set(auth(patient)).send(body);

  const rowsOf = async (patientId: string) => {
    const [row] = await app.dataSource.query(
      `SELECT (SELECT count(*)::int FROM appointments WHERE patient_id = $1) AS appointments,
              (SELECT count(*)::int FROM appointment_series WHERE patient_id = $1) AS series`,
      [patientId],
    );
    return row as { appointments: number; series: number };
  };

  const refunds = (paymentId: string) =>
    app.dataSource.query(
      `SELECT id, status, amount_minor, appointment_id, provider_refund_id FROM refunds
        WHERE payment_id = $1 ORDER BY created_at`,
      [paymentId],
    ) as Promise<
      {
        id: string;
        status: string;
        amount_minor: number;
        appointment_id: string | null;
        provider_refund_id: string | null;
      }[]
    >;

  beforeAll(async () => {
    fake = await FakePayPal.start();
    // A horizon past the next daylight-saving change in Europe, whatever today is.
    app = await TestApp.start({
      env: { ...fake.env(), CANCELLATION_FULL_REFUND_HOURS: '24', BOOKING_HORIZON_DAYS: '400' },
    });
    flow = new PaymentFlow(app, fake);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  it('keeps 09:00 Berlin across a daylight-saving change: the instants shift, the local time stays', async () => {
    const doctor = await flow.fx.doctor({ timezone: 'Europe/Berlin' });
    const patient = await flow.fx.patient();
    // Two weeks before the next change (last Sunday of March or October), a Tuesday 09:00.
    const now = DateTime.now().setZone('Europe/Berlin').plus({ days: 3 });
    let change = now;
    while (change.offset === now.offset) change = change.plus({ days: 1 });
    const first = change
      .minus({ weeks: 2 })
      .set({ weekday: 2, hour: 9, minute: 0, second: 0, millisecond: 0 });
    const res = await book(patient, {
      doctorId: doctor.id,
      startsAt: first.toUTC().toISO(),
      repeat: { every: 1, unit: 'week' },
      count: 4,
      reason: 'Physiotherapy',
    }).expect(201);
    const series = res.body as SeriesBody;
    expect(series).toMatchObject({
      count: 4,
      status: 'active',
      repeat: { every: 1, unit: 'week' },
    });
    expect(res.headers.location).toBe(`/api/v1/appointment-series/${series.id}`);
    const starts = series.appointments.map((a) =>
      DateTime.fromISO(a.startsAt, { zone: 'Europe/Berlin' }),
    );
    expect(starts.map((s) => s.toFormat('ccc HH:mm'))).toEqual(Array(4).fill('Tue 09:00'));
    const offsets = starts.map((s) => s.offset);
    expect(new Set(offsets).size).toBe(2);
    // The UTC instants are not a whole number of weeks apart across the change.
    const gaps = series.appointments
      .slice(1)
      .map((a, i) => Date.parse(a.startsAt) - Date.parse(series.appointments[i].startsAt));
    expect(gaps.filter((gap) => gap !== WEEK_MS)).toHaveLength(1);
    for (const a of series.appointments) {
      expect(a).toMatchObject({ seriesId: series.id, status: AppointmentStatus.Confirmed });
    }

    // One "series booked" message per side, listing every date; no per-occurrence booking email.
    const mail = await app.smtp.waitForMessage(
      (m) => m.to.includes(doctor.email) && m.subject === 'New series booking',
    );
    expect(mail.text.match(/09:00/g)).toHaveLength(4);
    await app.smtp.waitForMessage(
      (m) => m.to.includes(patient.email) && m.subject === 'Series booked',
    );
    await flow.eventHandled(EventType.AppointmentBooked, series.appointments[3].id);
    expect(app.smtp.to(patient.email).filter((m) => m.subject === 'Booking received')).toEqual([]);

    const got = await app.http
      .get(`/api/v1/appointment-series/${series.id}`)
      .set(auth(doctor))
      .expect(200);
    expect(got.body.appointments.map((a: { id: string }) => a.id)).toEqual(
      series.appointments.map((a) => a.id),
    );
    const stranger = await flow.fx.patient();
    await app.http.get(`/api/v1/appointment-series/${series.id}`).set(auth(stranger)).expect(404);
  });

  it('answers 409 SERIES_CONFLICT listing exactly the taken occurrence 3 of 6, and writes nothing', async () => {
    const doctor = await flow.fx.doctor();
    const other = await flow.fx.patient();
    const patient = await flow.fx.patient();
    const first = Date.parse(slotAt(50));
    const third = new Date(first + 2 * WEEK_MS).toISOString();
    await app.http
      .post('/api/v1/appointments')
      .set(auth(other))
      .send({ doctorId: doctor.id, startsAt: third })
      .expect(201);

    const res = await book(patient, {
      doctorId: doctor.id,
      startsAt: new Date(first).toISOString(),
      repeat: { every: 1, unit: 'week' },
      count: 6,
    }).expect(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'SERIES_CONFLICT', status: 409 });
    expect(res.body.conflicts).toEqual([{ startsAt: third, code: 'SLOT_TAKEN' }]);
    expect(await rowsOf(patient.id)).toEqual({ appointments: 0, series: 0 });

    // Every failing occurrence is listed: off the grid and past the horizon are not slots.
    const offGrid = await book(patient, {
      doctorId: doctor.id,
      startsAt: new Date(first + 7 * 60_000).toISOString(),
      repeat: { every: 1, unit: 'week' },
      count: 2,
    }).expect(409);
    expect(offGrid.body.conflicts.map((c: { code: string }) => c.code)).toEqual([
      'NOT_A_SLOT',
      'NOT_A_SLOT',
    ]);
    expect(await rowsOf(patient.id)).toEqual({ appointments: 0, series: 0 });
  });

  it('never overlaps under 20 concurrent series over overlapping weeks: the losers get 409', async () => {
    const doctor = await flow.fx.doctor();
    const patients = await Promise.all(Array.from({ length: 20 }, () => flow.fx.patient()));
    const base = Date.parse(slotAt(30));
    const answers = await Promise.all(
      patients.map((patient, i) =>
        book(patient, {
          doctorId: doctor.id,
          startsAt: new Date(base + (i % 5) * WEEK_MS).toISOString(),
          repeat: { every: 1, unit: 'week' },
          count: 4,
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(answers.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body)).toEqual(
      [],
    );
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThanOrEqual(1);
    for (const [i, r] of answers.entries()) {
      if (r.status === 409) {
        expect(r.body.code).toBe('SERIES_CONFLICT');
        expect(await rowsOf(patients[i].id)).toEqual({ appointments: 0, series: 0 });
      } else {
        expect(r.body.appointments).toHaveLength(4);
      }
    }
    const [{ overlaps }] = await app.dataSource.query(
      `SELECT count(*)::int AS overlaps FROM appointments a JOIN appointments b
          ON a.doctor_id = b.doctor_id AND a.id < b.id
         AND tstzrange(a.blocked_from, a.blocked_to) && tstzrange(b.blocked_from, b.blocked_to)
       WHERE a.doctor_id = $1 AND a.status IN ('pending_approval', 'pending_payment', 'confirmed')
         AND b.status IN ('pending_approval', 'pending_payment', 'confirmed')`,
      [doctor.id],
    );
    expect(overlaps).toBe(0);
  });

  it('pays once for all, refunds one cancelled occurrence and then the rest as partial refunds, once', async () => {
    const doctor = await flow.fx.doctor({ feeMinor: 4500 });
    const patient = await flow.fx.patient();
    const created = await book(patient, {
      doctorId: doctor.id,
      startsAt: slotAt(50),
      repeat: { every: 1, unit: 'week' },
      count: 4,
    }).expect(201);
    const series = created.body as SeriesBody;
    expect(series.appointments.map((a) => a.status)).toEqual(
      Array(4).fill(AppointmentStatus.PendingPayment),
    );
    // A series occurrence is paid with its series, never on its own.
    await flow.createPayment(patient, series.appointments[0].id).expect(409);

    const key = randomUUID();
    const pay = () =>
      app.http
        .post(`/api/v1/appointment-series/${series.id}/payments`)
        .set({ ...auth(patient), 'Idempotency-Key': key })
        .send();
    const payment = (await pay().expect(201)).body;
    expect(payment).toMatchObject({
      seriesId: series.id,
      appointmentId: null,
      status: PaymentStatus.Created,
      amount: { amount: '180.00', currency: 'USD' },
    });
    expect((await pay().expect(201)).body.id).toBe(payment.id);
    expect(fake.calls('createOrder')).toBe(1);

    fake.deliverWebhooksTo(flow.webhookUrl);
    try {
      fake.approve(payment.providerOrderId);
      await flow.capture(patient, payment.id).expect(202);
      for (const a of series.appointments)
        await flow.waitForAppointment(a.id, AppointmentStatus.Confirmed);
      const captured = await flow.waitForPayment(payment.id, PaymentStatus.Captured);
      const captureId = captured.provider_capture_id!;
      // The approval webhook and the capture job ask alike, with one PayPal-Request-Id.
      expect(fake.captures()).toHaveLength(1);
      expect(await flow.paymentEvents(EventType.PaymentCaptured, payment.id)).toBe(1);
      for (const a of series.appointments)
        expect(await flow.transitions(a.id, AppointmentStatus.Confirmed)).toBe(1);

      // Cancel one occurrence: exactly its fee goes back, as a partial refund of the capture.
      await app.http
        .post(`/api/v1/appointments/${series.appointments[1].id}/cancel`)
        .set(auth(patient))
        .send({ reason: 'Away that week' })
        .expect(200);
      const [first] = await waitFor(
        async () => {
          const rows = await refunds(payment.id);
          return rows.length === 1 && rows[0].status === 'completed' ? rows : null;
        },
        { what: 'the first partial refund' },
      );
      expect(first).toMatchObject({
        amount_minor: 4500,
        appointment_id: series.appointments[1].id,
      });
      expect(fake.requests('refund')).toEqual([
        expect.objectContaining({
          path: `/v2/payments/captures/${captureId}/refund`,
          requestId: first.id,
          body: { amount: { currency_code: 'USD', value: '45.00' } },
        }),
      ]);
      expect((await flow.paymentRow(payment.id)).status).toBe(PaymentStatus.Captured);

      // Cancel the rest: one more refund, of the remainder.
      const rest = await app.http
        .post(`/api/v1/appointment-series/${series.id}/cancel`)
        .set(auth(patient))
        .send({ reason: 'Moving away' })
        .expect(200);
      expect(rest.body).toMatchObject({ status: 'cancelled', notCancelled: [] });
      await flow.waitForPayment(payment.id, PaymentStatus.Refunded);
      const all = await refunds(payment.id);
      expect(all.map((r) => [r.status, r.amount_minor])).toEqual([
        ['completed', 4500],
        ['completed', 13500],
      ]);
      expect(fake.requests('refund')).toHaveLength(2);
      expect(fake.requests('refund')[1]).toMatchObject({
        requestId: all[1].id,
        body: { amount: { currency_code: 'USD', value: '135.00' } },
      });
      await app.smtp.waitForMessage(
        (m) => m.to.includes(patient.email) && m.subject === 'Appointments cancelled',
      );

      // PayPal's webhooks of both refunds (delivered as it made them), then replayed: nothing twice.
      const delivered = await waitFor(
        () => {
          const events = fake
            .deliveries()
            .filter((d) => d.event.event_type === 'PAYMENT.CAPTURE.REFUNDED');
          return events.length === 2 ? events : null;
        },
        { what: 'the refund webhooks' },
      );
      await flow.webhooksProcessed(delivered.map((d) => d.event.id));
      const again = await fake.sendWebhook(flow.webhookUrl, 'PAYMENT.CAPTURE.REFUNDED', {
        refundId: String(delivered[0].event.resource.id),
      });
      expect(again.status).toBe(200);
      await flow.webhooksProcessed([again.event.id]);
      expect(await refunds(payment.id)).toHaveLength(2);
      expect(await flow.paymentEvents(EventType.RefundIssued, payment.id)).toBe(2);
      expect(fake.requests('refund')).toHaveLength(2);

      // Nothing is left on the capture: the fake refuses more, as PayPal does.
      const refused = await app
        .get(PayPalClient)
        .refundCapture(captureId, randomUUID(), { currencyCode: 'USD', value: '1.00' })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PaymentProviderError);
      expect(refused).toMatchObject({ httpStatus: 422 });
    } finally {
      fake.deliverWebhooksTo(undefined);
    }
  });

  it('refunds the share of an occurrence no longer held when the series capture comes in', async () => {
    const doctor = await flow.fx.doctor({ feeMinor: 4500 });
    const patient = await flow.fx.patient();
    const series = (
      await book(patient, {
        doctorId: doctor.id,
        startsAt: slotAt(50),
        repeat: { every: 2, unit: 'week' },
        count: 3,
      }).expect(201)
    ).body as SeriesBody;
    const payment = (
      await app.http
        .post(`/api/v1/appointment-series/${series.id}/payments`)
        .set(auth(patient))
        .send()
        .expect(201)
    ).body;
    // The last occurrence's hold ran out before PayPal captured.
    await app.dataSource.query(
      `UPDATE appointments SET status = 'expired', hold_expires_at = now() WHERE id = $1`,
      [series.appointments[2].id],
    );
    fake.approve(payment.providerOrderId);
    await flow.capture(patient, payment.id).expect(202);
    await flow.waitForAppointment(series.appointments[0].id, AppointmentStatus.Confirmed);
    await flow.waitForAppointment(series.appointments[1].id, AppointmentStatus.Confirmed);
    const [refund] = await waitFor(
      async () => {
        const rows = await refunds(payment.id);
        return rows[0]?.status === 'completed' ? rows : null;
      },
      { what: 'the refund of the expired share' },
    );
    expect(refund).toMatchObject({ amount_minor: 4500, appointment_id: series.appointments[2].id });
    expect((await flow.paymentRow(payment.id)).status).toBe(PaymentStatus.Captured);
  });

  it('approves a whole series at once: every occurrence goes on to payment', async () => {
    const doctor = await flow.fx.doctor({ feeMinor: 4500 });
    const patient = await flow.fx.patient();
    const type = await app.http
      .post('/api/v1/doctors/me/visit-types')
      .set(auth(doctor))
      .send({
        name: 'Therapy session',
        durationMinutes: 30,
        price: { amount: '45.00', currency: 'USD' },
        requiresApproval: true,
      })
      .expect(201);
    const series = (
      await book(patient, {
        doctorId: doctor.id,
        visitTypeId: type.body.id,
        startsAt: slotAt(50),
        repeat: { every: 1, unit: 'week' },
        count: 3,
      }).expect(201)
    ).body as SeriesBody;
    expect(series.appointments.map((a) => a.status)).toEqual(
      Array(3).fill(AppointmentStatus.PendingApproval),
    );
    // Nobody pays before approval.
    await app.http
      .post(`/api/v1/appointment-series/${series.id}/payments`)
      .set(auth(patient))
      .send()
      .expect(409);
    const other = await flow.fx.doctor();
    await app.http
      .post(`/api/v1/appointment-series/${series.id}/approve`)
      .set(auth(other))
      .expect(404);

    const approved = await app.http
      .post(`/api/v1/appointment-series/${series.id}/approve`)
      .set(auth(doctor))
      .expect(200);
    expect(approved.body.appointments.map((a: { status: string }) => a.status)).toEqual(
      Array(3).fill(AppointmentStatus.PendingPayment),
    );
    for (const a of approved.body.appointments) expect(a.holdExpiresAt).toEqual(expect.any(String));
    await app.http
      .post(`/api/v1/appointment-series/${series.id}/approve`)
      .set(auth(doctor))
      .expect(409);
    const payment = await app.http
      .post(`/api/v1/appointment-series/${series.id}/payments`)
      .set(auth(patient))
      .send()
      .expect(201);
    expect(payment.body.amount).toEqual({ amount: '135.00', currency: 'USD' });
  });

  it('replays a series booking for the same Idempotency-Key and leaves cutoff occurrences live on cancel', async () => {
    const doctor = await flow.fx.doctor();
    const patient = await flow.fx.patient();
    const key = randomUUID();
    const body = {
      doctorId: doctor.id,
      startsAt: slotAt(30),
      repeat: { every: 1, unit: 'week' },
      count: 2,
    };
    const first = await book(patient, body).set('Idempotency-Key', key).expect(201);
    const second = await book(patient, body).set('Idempotency-Key', key).expect(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await rowsOf(patient.id)).toEqual({ appointments: 2, series: 1 });

    // The first occurrence is inside a 48-hour change cutoff: a patient cannot cancel it.
    await app.dataSource.query(
      `UPDATE appointments SET change_cutoff_hours = 48 WHERE series_id = $1`,
      [first.body.id],
    );
    const cancelled = await app.http
      .post(`/api/v1/appointment-series/${first.body.id}/cancel`)
      .set(auth(patient))
      .send({})
      .expect(200);
    expect(cancelled.body.notCancelled).toEqual([first.body.appointments[0].id]);
    expect(cancelled.body.appointments.map((a: { status: string }) => a.status)).toEqual([
      AppointmentStatus.Confirmed,
      AppointmentStatus.Cancelled,
    ]);
    expect(cancelled.body.status).toBe('active');
  });
});
