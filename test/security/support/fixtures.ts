import { randomUUID } from 'node:crypto';
import {
  AppointmentStatus,
  DeliveryStatus,
  Notification,
  NotificationChannel,
  Specialty,
  TimeOff,
  UserRole,
  VisitType,
  WaitlistEntry,
} from '@app/database';
import { FakePayPal } from '../../fakes/paypal-fake';
import {
  Actor,
  createActor,
  createDoctor,
  everyDay,
  insertAppointment,
} from '../../support/doctor-helpers';
import { TestApp } from '../../support/test-app';
import { send } from './http';

export const ROLES = ['anonymous', 'patientA', 'patientB', 'doctorX', 'doctorY', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type SignedInRole = Exclude<Role, 'anonymous'>;

/** What a path `{id}` names; each call gets a fresh one owned by patient A and/or doctor X. */
export type ResourceKind =
  | 'appointment'
  | 'pastAppointment'
  | 'unpaidAppointment'
  | 'approvalAppointment'
  | 'series'
  | 'unpaidSeries'
  | 'approvalSeries'
  | 'payment'
  | 'waitlistEntry'
  | 'timeOff'
  | 'visitType'
  | 'notification'
  | 'failedWork'
  | 'user'
  | 'doctorX'
  | 'specialty'
  | 'webhook'
  /** A delivery of doctor X's endpoint, with the endpoint's id: the matrix puts one id in every path parameter. */
  | 'webhookDelivery'
  /** Patient A, with an appointment with doctor X (so X is one of A's doctors). */
  | 'patientA';

const MINUTE = 60_000;
const SLOT_MINUTES = 30;

/**
 * Patients A and B, doctors X and Y (paid, open all day every day) and an admin, and
 * fresh resources of A with X on demand. Everything is written straight to the database.
 */
export class SecurityFixtures {
  private futureSlots = 0;
  private pastSlots = 0;
  private timeOffs = 0;
  private waitlistEntries = 0;
  private readonly firstSlot: number;

  private constructor(
    readonly app: TestApp,
    readonly actors: Record<SignedInRole, Actor>,
    /** Doctor X's default visit type: the FHIR Schedule of X. */
    readonly visitTypeOfX: string,
    private readonly paypal?: FakePayPal,
  ) {
    // On the hour, two days ahead: past the minimum notice, on every 30-minute grid.
    this.firstSlot = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 48 * 60 * MINUTE;
  }

  static async create(app: TestApp, paypal?: FakePayPal): Promise<SecurityFixtures> {
    const doctor = () =>
      createDoctor(app, {
        rules: everyDay('00:00', '24:00'),
        slotDurationMinutes: SLOT_MINUTES,
        feeMinor: 4500,
      });
    const actors = {
      patientA: await createActor(app, UserRole.Patient),
      patientB: await createActor(app, UserRole.Patient),
      doctorX: await doctor(),
      doctorY: await doctor(),
      admin: await createActor(app, UserRole.Admin),
    };
    const [{ id: visitTypeOfX }]: { id: string }[] = await app.dataSource.query(
      'SELECT id FROM visit_types WHERE doctor_id = $1 AND active ORDER BY position LIMIT 1',
      [actors.doctorX.id],
    );
    return new SecurityFixtures(app, actors, visitTypeOfX, paypal);
  }

  token(role: Role): string | undefined {
    return role === 'anonymous' ? undefined : this.actors[role].token;
  }

  get patientA(): Actor {
    return this.actors.patientA;
  }

  get doctorX(): Actor {
    return this.actors.doctorX;
  }

  /** A free slot of doctor X (never handed out twice). */
  nextSlot(): Date {
    return new Date(this.firstSlot + this.futureSlots++ * SLOT_MINUTES * MINUTE);
  }

  /** A date `days` ahead, YYYY-MM-DD (UTC, the doctors' zone). */
  dateAhead(days: number): string {
    return new Date(Date.now() + days * 24 * 60 * MINUTE).toISOString().slice(0, 10);
  }

  async resource(kind: ResourceKind): Promise<string> {
    const { patientA, doctorX } = this.actors;
    const appointment = (startsAt: Date, status: AppointmentStatus) =>
      insertAppointment(this.app, {
        doctorId: doctorX.id,
        patientId: patientA.id,
        startsAt,
        minutes: SLOT_MINUTES,
        status,
      });
    switch (kind) {
      case 'appointment':
        return (await appointment(this.nextSlot(), AppointmentStatus.Confirmed)).id;
      case 'pastAppointment': {
        const startsAt = new Date(
          this.firstSlot - 72 * 60 * MINUTE - this.pastSlots++ * SLOT_MINUTES * MINUTE,
        );
        return (await appointment(startsAt, AppointmentStatus.Confirmed)).id;
      }
      case 'unpaidAppointment': {
        const created = await appointment(this.nextSlot(), AppointmentStatus.PendingPayment);
        await this.app.dataSource.query(
          `UPDATE appointments SET hold_expires_at = now() + interval '15 minutes' WHERE id = $1`,
          [created.id],
        );
        return created.id;
      }
      case 'approvalAppointment': {
        const created = await appointment(this.nextSlot(), AppointmentStatus.PendingApproval);
        await this.app.dataSource.query(
          `UPDATE appointments SET approval_deadline_at = now() + interval '1 day' WHERE id = $1`,
          [created.id],
        );
        return created.id;
      }
      case 'series':
        return this.series(AppointmentStatus.Confirmed);
      case 'unpaidSeries':
        return this.series(AppointmentStatus.PendingPayment);
      case 'approvalSeries':
        return this.series(AppointmentStatus.PendingApproval);
      case 'payment':
        return this.payment();
      case 'waitlistEntry': {
        const repo = this.app.dataSource.getRepository(WaitlistEntry);
        const entry = await repo.save(
          repo.create({
            patientId: patientA.id,
            doctorId: doctorX.id,
            // Distinct ranges, clear of the POST /waitlist rule's: identical active entries are 409.
            fromDate: this.dateAhead(20 + this.waitlistEntries),
            toDate: this.dateAhead(22 + this.waitlistEntries++),
          }),
        );
        return entry.id;
      }
      case 'timeOff': {
        const repo = this.app.dataSource.getRepository(TimeOff);
        // Far past the slots the suites book, so it never blocks them.
        const startsAt = new Date(Date.now() + (70 + this.timeOffs++) * 24 * 60 * MINUTE);
        const entry = await repo.save(
          repo.create({
            doctorId: doctorX.id,
            startsAt,
            endsAt: new Date(startsAt.getTime() + 60 * MINUTE),
            reason: 'Conference',
          }),
        );
        return entry.id;
      }
      case 'visitType': {
        const repo = this.app.dataSource.getRepository(VisitType);
        const type = await repo.save(
          repo.create({
            doctorId: doctorX.id,
            name: `Follow-up ${randomUUID().slice(0, 8)}`,
            durationMinutes: SLOT_MINUTES,
            priceMinor: 4500,
            currency: 'USD',
            position: 100,
          }),
        );
        return type.id;
      }
      case 'notification': {
        const repo = this.app.dataSource.getRepository(Notification);
        const row = await repo.save(
          repo.create({
            dedupeKey: `security:${randomUUID()}`,
            userId: patientA.id,
            channel: NotificationChannel.InApp,
            type: 'announcement',
            title: 'For patient A',
            body: 'Only patient A may read this',
            data: {},
            status: DeliveryStatus.Sent,
          }),
        );
        return row.id;
      }
      case 'failedWork': {
        const [row] = await this.app.dataSource.query(
          `INSERT INTO outbox_events (kind, type, aggregate_type, payload, job_id, state, failed_at)
           VALUES ('job', 'notification.email', 'notifications', jsonb_build_object('notificationId', gen_random_uuid()),
             'email-' || gen_random_uuid(), 'failed', now()) RETURNING id`,
        );
        return row.id;
      }
      case 'user':
        return (await createActor(this.app, UserRole.Patient)).id;
      case 'doctorX':
        return doctorX.id;
      case 'patientA':
        await appointment(this.nextSlot(), AppointmentStatus.Confirmed);
        return patientA.id;
      case 'specialty': {
        const repo = this.app.dataSource.getRepository(Specialty);
        return (await repo.save(repo.create({ name: `Specialty ${randomUUID()}` }))).id;
      }
      case 'webhook':
        return this.webhook();
      case 'webhookDelivery': {
        const id = await this.webhook();
        await this.app.dataSource.query(
          `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, type, payload, status, attempts)
           VALUES ($1, $1, gen_random_uuid(), 'webhook.test', '{}', 'succeeded', 1)`,
          [id],
        );
        return id;
      }
    }
  }

  /** A series of A with X: two occurrences a week apart in `status` (with its hold or deadline). */
  private async series(status: AppointmentStatus): Promise<string> {
    const { patientA, doctorX } = this.actors;
    const first = this.nextSlot();
    const starts = [first, new Date(first.getTime() + 7 * 24 * 60 * MINUTE)];
    const occurrences = [];
    for (const startsAt of starts)
      occurrences.push(
        await insertAppointment(this.app, {
          doctorId: doctorX.id,
          patientId: patientA.id,
          startsAt,
          minutes: SLOT_MINUTES,
          status,
        }),
      );
    const [row] = await this.app.dataSource.query(
      `INSERT INTO appointment_series (doctor_id, patient_id, visit_type_id, repeat_every, count, timezone)
       SELECT doctor_id, patient_id, visit_type_id, 1, 2, 'UTC' FROM appointments WHERE id = $1
       RETURNING id`,
      [occurrences[0].id],
    );
    await this.app.dataSource.query(
      `UPDATE appointments SET series_id = $1,
         hold_expires_at = CASE WHEN status = 'pending_payment' THEN now() + interval '15 minutes' END,
         approval_deadline_at = CASE WHEN status = 'pending_approval' THEN now() + interval '1 day' END
       WHERE id = ANY($2)`,
      [row.id, occurrences.map((o) => o.id)],
    );
    return row.id;
  }

  /** An endpoint of doctor X (the secret is never used: no worker runs the deliveries). */
  private async webhook(): Promise<string> {
    const [row] = await this.app.dataSource.query(
      `INSERT INTO webhook_endpoints (owner_id, url, events, secret_ciphertext)
       VALUES ($1, 'https://ehr.example.com/hooks', '{appointment.booked}', 'v1:unused') RETURNING id`,
      [this.doctorX.id],
    );
    return row.id;
  }

  /** A payment of an unpaid appointment of A, created through the API and approved at the fake. */
  private async payment(): Promise<string> {
    const appointmentId = await this.resource('unpaidAppointment');
    const res = await send(this.app.baseUrl, {
      method: 'POST',
      url: `/api/v1/appointments/${appointmentId}/payments`,
      token: this.patientA.token,
      body: {},
    });
    const body = res.json as { id?: string; providerOrderId?: string } | undefined;
    if (res.status !== 201 || !body?.id)
      throw new Error(`payment fixture: ${res.request} answered ${res.status} ${res.text}`);
    if (this.paypal && body.providerOrderId) this.paypal.approve(body.providerOrderId);
    return body.id;
  }

  /** The stored state of a resource, to prove a refused call changed nothing. */
  async fingerprint(kind: ResourceKind, id: string): Promise<string> {
    const row = async (table: string, column = 'id') => {
      const rows: { row: string }[] = await this.app.dataSource.query(
        `SELECT row_to_json(t)::text AS row FROM ${table} t WHERE ${column} = $1`,
        [id],
      );
      return rows[0]?.row ?? 'missing';
    };
    switch (kind) {
      case 'appointment':
      case 'pastAppointment':
      case 'unpaidAppointment':
      case 'approvalAppointment': {
        const related: { n: string }[] = await this.app.dataSource.query(
          `SELECT (SELECT count(*) FROM appointments WHERE rescheduled_from_id = $1)
                + (SELECT count(*) FROM payments WHERE appointment_id = $1) AS n`,
          [id],
        );
        return `${await row('appointments')} related=${related[0].n}`;
      }
      case 'series':
      case 'unpaidSeries':
      case 'approvalSeries': {
        const related: { n: string }[] = await this.app.dataSource.query(
          `SELECT string_agg(a.status::text || a.version, ',' ORDER BY a.starts_at)
                  || ' payments=' || (SELECT count(*) FROM payments WHERE series_id = $1) AS n
             FROM appointments a WHERE a.series_id = $1`,
          [id],
        );
        return `${await row('appointment_series')} occurrences=${related[0].n}`;
      }
      case 'payment':
        return row('payments');
      case 'waitlistEntry':
        return row('waitlist_entries');
      case 'timeOff':
        return row('time_off');
      case 'visitType':
        return row('visit_types');
      case 'notification':
        return row('notifications');
      case 'failedWork':
        return row('outbox_events');
      case 'user':
      case 'patientA':
        return row('users');
      case 'doctorX':
        return row('doctor_profiles', 'user_id');
      case 'specialty':
        return row('specialties');
      case 'webhook':
        return row('webhook_endpoints');
      case 'webhookDelivery':
        return row('webhook_deliveries');
    }
  }
}
