import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatMoney } from '@app/common';
import { AppConfig } from '@app/config';
import { Appointment, AppointmentStatus, DoctorProfile, User, WaitlistEntry } from '@app/database';
import { DomainEventOf, EventType } from '@app/queues';
import { formatWhen } from './format';
import type { NotificationDraft } from './message';

type Person = Pick<User, 'id' | 'email' | 'firstName' | 'lastName' | 'timezone'>;
interface AppointmentView {
  appointment: Appointment;
  patient: Person;
  doctor: Person;
  doctorZone: string;
}

const BOTH: NotificationDraft['channels'] = ['email', 'in_app'];
const name = (p: Person) => `${p.firstName} ${p.lastName}`;
const doctorName = (p: Person) => `Dr. ${p.lastName}`;

/** Decides who hears about an event and what they are told. */
@Injectable()
export class NotificationPlanner {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async plan(
    eventId: string,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<NotificationDraft[]> {
    const event = { type, payload } as { type: EventType; payload: never };
    switch (event.type) {
      case EventType.EmailVerificationRequested:
        return this.accountEmail(
          eventId,
          event as DomainEventOf<EventType.EmailVerificationRequested>,
          'verify-email',
          {
            subject: 'Confirm your email address',
            heading: 'Confirm your email address',
            paragraphs: [
              'Welcome! Please confirm that this email address is yours. The link is valid for 24 hours.',
            ],
            label: 'Confirm email',
          },
        );
      case EventType.PasswordResetRequested:
        return this.accountEmail(
          eventId,
          event as DomainEventOf<EventType.PasswordResetRequested>,
          'reset-password',
          {
            subject: 'Reset your password',
            heading: 'Reset your password',
            paragraphs: [
              'Someone asked to reset the password of your account. If it was you, use the link below within one hour.',
              'If it was not you, ignore this email: your password stays unchanged.',
            ],
            label: 'Choose a new password',
          },
        );
      case EventType.DoctorInvited:
        return this.accountEmail(
          eventId,
          event as DomainEventOf<EventType.DoctorInvited>,
          'set-password',
          {
            subject: 'Your doctor account is ready',
            heading: 'Welcome aboard',
            paragraphs: [
              'An administrator created a doctor account for you. Choose your password to sign in; the link is valid for 7 days.',
            ],
            label: 'Set your password',
          },
        );
      case EventType.AppointmentBooked:
        return this.appointmentBooked(eventId, payloadOf(event));
      case EventType.AppointmentConfirmed:
        return this.appointmentConfirmed(eventId, payloadOf(event));
      case EventType.AppointmentCancelled:
        return this.appointmentCancelled(eventId, payloadOf(event));
      case EventType.AppointmentRescheduled:
        return this.appointmentRescheduled(eventId, payloadOf(event));
      case EventType.HoldExpired:
        return this.holdExpired(eventId, payloadOf(event));
      case EventType.SlotFreed:
        return this.slotFreed(eventId, payloadOf(event));
      case EventType.PaymentCaptured:
        return this.paymentCaptured(eventId, payloadOf(event));
      case EventType.RefundIssued:
        return this.refundIssued(eventId, payloadOf(event));
      case EventType.Announcement:
        return this.announcement(eventId, payloadOf(event));
      case EventType.AppointmentCompleted:
      case EventType.AppointmentNoShow:
        return [];
      default:
        return [];
    }
  }

  /** A reminder of an upcoming appointment, or nothing if it is no longer confirmed. */
  async reminder(appointmentId: string, offsetMinutes: number): Promise<NotificationDraft[]> {
    const view = await this.appointmentView(appointmentId);
    if (!view || view.appointment.status !== AppointmentStatus.Confirmed) return [];
    if (view.appointment.startsAt.getTime() <= Date.now()) return [];
    const label =
      offsetMinutes >= 120 ? `${Math.round(offsetMinutes / 60)} hours` : `${offsetMinutes} minutes`;
    const key = `reminder:${offsetMinutes}:${appointmentId}:${view.appointment.startsAt.toISOString()}`;
    return this.forBoth(view, key, 'appointment.reminder', (reader, other, zone) => ({
      subject: `Reminder: appointment in ${label}`,
      heading: `Your appointment starts in ${label}`,
      paragraphs: [`This is a reminder of your appointment with ${other}.`],
      details: [{ label: 'When', value: formatWhen(view.appointment.startsAt, zone) }],
      action: this.appointmentLink(appointmentId),
    }));
  }

  private async accountEmail(
    eventId: string,
    event: { payload: { userId: string; token: string } },
    page: string,
    text: { subject: string; heading: string; paragraphs: string[]; label: string },
  ): Promise<NotificationDraft[]> {
    const user = await this.person(event.payload.userId);
    if (!user) return [];
    const url = `${this.config.publicUrl}/${page}?token=${encodeURIComponent(event.payload.token)}`;
    return [
      {
        userId: user.id,
        type: page.replace('-', '_'),
        dedupeKey: `${eventId}:${user.id}`,
        channels: ['email'],
        content: {
          subject: text.subject,
          heading: text.heading,
          paragraphs: [`Hello ${user.firstName},`, ...text.paragraphs],
          action: { label: text.label, url },
        },
        data: {},
      },
    ];
  }

  private async appointmentBooked(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.appointmentView(payload.appointmentId);
    if (!view) return [];
    const { appointment } = view;
    const pending = appointment.status === AppointmentStatus.PendingPayment;
    return this.forBoth(view, eventId, 'appointment.booked', (reader, other, zone, role) => ({
      subject: role === 'patient' ? 'Booking received' : 'New booking',
      heading: role === 'patient' ? `Your booking with ${other}` : `New booking by ${other}`,
      paragraphs:
        role === 'patient' && pending && appointment.holdExpiresAt
          ? [
              `Your slot is held until ${formatWhen(appointment.holdExpiresAt, zone)}. Complete the payment before then to confirm it.`,
            ]
          : [
              role === 'patient'
                ? 'Your appointment is booked.'
                : 'An appointment was booked in your calendar.',
            ],
      details: [
        { label: 'When', value: formatWhen(appointment.startsAt, zone) },
        { label: 'Status', value: appointment.status.replace('_', ' ') },
      ],
      action: this.appointmentLink(appointment.id),
    }));
  }

  private async appointmentConfirmed(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.appointmentView(payload.appointmentId);
    if (!view) return [];
    const { appointment } = view;
    return this.forBoth(
      view,
      eventId,
      'appointment.confirmed',
      (reader, other, zone) => ({
        subject: 'Appointment confirmed',
        heading: `Appointment with ${other} confirmed`,
        paragraphs: ['The appointment is confirmed. A calendar invitation is attached.'],
        details: [{ label: 'When', value: formatWhen(appointment.startsAt, zone) }],
        action: this.appointmentLink(appointment.id),
      }),
      (role) => this.invite(view, role, 'REQUEST'),
    );
  }

  private async appointmentCancelled(
    eventId: string,
    payload: { appointmentId: string; cancelledBy: string | null; refund: boolean },
  ): Promise<NotificationDraft[]> {
    const view = await this.appointmentView(payload.appointmentId);
    if (!view) return [];
    const { appointment } = view;
    const by =
      payload.cancelledBy === view.patient.id
        ? 'the patient'
        : payload.cancelledBy === view.doctor.id
          ? 'the doctor'
          : 'our team';
    return this.forBoth(
      view,
      eventId,
      'appointment.cancelled',
      (reader, other, zone, role) => ({
        subject: 'Appointment cancelled',
        heading: `Appointment with ${other} cancelled`,
        paragraphs: [
          `The appointment was cancelled by ${by}.`,
          ...(role === 'patient' && appointment.feeMinor > 0
            ? [
                payload.refund
                  ? 'Your payment will be refunded in full.'
                  : 'Under the cancellation policy no refund applies.',
              ]
            : []),
        ],
        details: [
          { label: 'When', value: formatWhen(appointment.startsAt, zone) },
          ...(appointment.cancellationReason
            ? [{ label: 'Reason', value: appointment.cancellationReason }]
            : []),
        ],
      }),
      (role) => this.invite(view, role, 'CANCEL'),
    );
  }

  private async appointmentRescheduled(
    eventId: string,
    payload: { appointmentId: string; previousAppointmentId: string },
  ): Promise<NotificationDraft[]> {
    const [view, previous] = await Promise.all([
      this.appointmentView(payload.appointmentId),
      this.db.getRepository(Appointment).findOne({ where: { id: payload.previousAppointmentId } }),
    ]);
    if (!view) return [];
    return this.forBoth(
      view,
      eventId,
      'appointment.rescheduled',
      (reader, other, zone) => ({
        subject: 'Appointment rescheduled',
        heading: `Appointment with ${other} moved`,
        paragraphs: ['The appointment has a new time. An updated calendar invitation is attached.'],
        details: [
          ...(previous ? [{ label: 'Was', value: formatWhen(previous.startsAt, zone) }] : []),
          { label: 'Now', value: formatWhen(view.appointment.startsAt, zone) },
        ],
        action: this.appointmentLink(view.appointment.id),
      }),
      (role) => this.invite(view, role, 'REQUEST'),
    );
  }

  private async holdExpired(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.appointmentView(payload.appointmentId);
    if (!view) return [];
    const zone = view.patient.timezone;
    return [
      {
        userId: view.patient.id,
        type: 'appointment.hold_expired',
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          subject: 'Your slot was released',
          heading: 'The payment time ran out',
          paragraphs: [
            `Your held slot with ${doctorName(view.doctor)} was released because the payment was not completed in time.`,
          ],
          details: [{ label: 'When', value: formatWhen(view.appointment.startsAt, zone) }],
          action: {
            label: 'Find another slot',
            url: `${this.config.publicUrl}/doctors/${view.doctor.id}`,
          },
        },
        data: { appointmentId: view.appointment.id, doctorId: view.doctor.id },
      },
    ];
  }

  private async slotFreed(
    eventId: string,
    payload: { doctorId: string; startsAt: string; endsAt: string },
  ): Promise<NotificationDraft[]> {
    const profile = await this.db
      .getRepository(DoctorProfile)
      .findOne({ where: { userId: payload.doctorId } });
    const doctor = await this.person(payload.doctorId);
    if (!profile || !doctor) return [];
    // Waitlist ranges are dates in the doctor's zone; compare in that zone.
    const entries: (WaitlistEntry & { email: string })[] = await this.db.query(
      `SELECT w.id, w.patient_id AS "patientId"
         FROM waitlist_entries w JOIN users u ON u.id = w.patient_id
        WHERE w.doctor_id = $1 AND w.active AND u.deactivated_at IS NULL
          AND w.from_date <= (($3::timestamptz) AT TIME ZONE $4)::date
          AND w.to_date >= (($2::timestamptz) AT TIME ZONE $4)::date`,
      [payload.doctorId, payload.startsAt, payload.endsAt, profile.timezone],
    );
    if (entries.length === 0) return [];
    const patients = await this.people(entries.map((e) => e.patientId));
    await this.db.query('UPDATE waitlist_entries SET last_notified_at = now() WHERE id = ANY($1)', [
      entries.map((e) => e.id),
    ]);
    return entries.flatMap((entry) => {
      const patient = patients.get(entry.patientId);
      if (!patient) return [];
      const url = `${this.config.publicUrl}/doctors/${doctor.id}/book?startsAt=${encodeURIComponent(payload.startsAt)}`;
      return [
        {
          userId: patient.id,
          type: 'waitlist.slot_available',
          dedupeKey: `${eventId}:${entry.id}`,
          channels: BOTH,
          content: {
            subject: `A slot with ${doctorName(doctor)} is available`,
            heading: 'A slot just opened up',
            paragraphs: [
              `A time you were waiting for with ${doctorName(doctor)} is free again. The first to book it gets it.`,
            ],
            details: [{ label: 'When', value: formatWhen(payload.startsAt, patient.timezone) }],
            action: { label: 'Book this slot', url },
          },
          data: {
            doctorId: doctor.id,
            startsAt: payload.startsAt,
            endsAt: payload.endsAt,
            waitlistEntryId: entry.id,
          },
        },
      ];
    });
  }

  private async paymentCaptured(
    eventId: string,
    payload: { paymentId: string; appointmentId: string },
  ): Promise<NotificationDraft[]> {
    return this.paymentMessage(
      eventId,
      payload.appointmentId,
      payload.paymentId,
      'payment.captured',
      'Payment received',
      'Thank you, we received your payment.',
    );
  }

  private async refundIssued(
    eventId: string,
    payload: { paymentId: string; appointmentId: string },
  ): Promise<NotificationDraft[]> {
    return this.paymentMessage(
      eventId,
      payload.appointmentId,
      payload.paymentId,
      'payment.refunded',
      'Refund issued',
      'Your payment was refunded. It may take a few days to appear on your statement.',
    );
  }

  private async paymentMessage(
    eventId: string,
    appointmentId: string,
    paymentId: string,
    type: string,
    subject: string,
    line: string,
  ): Promise<NotificationDraft[]> {
    const view = await this.appointmentView(appointmentId);
    if (!view) return [];
    const amount = formatMoney({
      minor: view.appointment.feeMinor,
      currency: view.appointment.currency,
    });
    return [
      {
        userId: view.patient.id,
        type,
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          subject,
          heading: subject,
          paragraphs: [line],
          details: [
            { label: 'Amount', value: `${amount.amount} ${amount.currency}` },
            {
              label: 'Appointment',
              value: `${doctorName(view.doctor)}, ${formatWhen(view.appointment.startsAt, view.patient.timezone)}`,
            },
            { label: 'Payment reference', value: paymentId },
          ],
          action: this.appointmentLink(appointmentId),
        },
        data: { appointmentId, paymentId },
      },
    ];
  }

  private async announcement(
    eventId: string,
    payload: { senderId: string; recipientIds: string[]; title: string; body: string },
  ): Promise<NotificationDraft[]> {
    const sender = await this.person(payload.senderId);
    return payload.recipientIds.map((userId) => ({
      userId,
      type: 'announcement',
      dedupeKey: `${eventId}:${userId}`,
      channels: BOTH,
      content: {
        subject: payload.title,
        heading: payload.title,
        paragraphs: payload.body.split(/\n{2,}/),
        details: sender ? [{ label: 'From', value: name(sender) }] : [],
      },
      data: { senderId: payload.senderId },
    }));
  }

  private forBoth(
    view: AppointmentView,
    occasion: string,
    type: string,
    content: (
      reader: Person,
      other: string,
      zone: string,
      role: 'patient' | 'doctor',
    ) => NotificationDraft['content'],
    calendar?: (role: 'patient' | 'doctor') => NotificationDraft['calendar'],
  ): NotificationDraft[] {
    const sides = [
      {
        role: 'patient' as const,
        reader: view.patient,
        other: doctorName(view.doctor),
        zone: view.patient.timezone,
      },
      {
        role: 'doctor' as const,
        reader: view.doctor,
        other: name(view.patient),
        zone: view.doctorZone,
      },
    ];
    return sides.map(({ role, reader, other, zone }) => ({
      userId: reader.id,
      type,
      dedupeKey: `${occasion}:${reader.id}`,
      channels: BOTH,
      content: content(reader, other, zone, role),
      data: {
        appointmentId: view.appointment.id,
        startsAt: view.appointment.startsAt.toISOString(),
      },
      calendar: calendar?.(role),
    }));
  }

  private invite(
    view: AppointmentView,
    role: 'patient' | 'doctor',
    method: 'REQUEST' | 'CANCEL',
  ): NotificationDraft['calendar'] {
    const other = role === 'patient' ? doctorName(view.doctor) : name(view.patient);
    return {
      appointmentId: view.appointment.rescheduledFromId ?? view.appointment.id,
      startsAt: view.appointment.startsAt.toISOString(),
      endsAt: view.appointment.endsAt.toISOString(),
      summary: `Appointment with ${other}`,
      description: `${this.config.publicUrl}/appointments/${view.appointment.id}`,
      method,
      sequence: Math.floor(view.appointment.updatedAt.getTime() / 1000),
    };
  }

  private appointmentLink(appointmentId: string) {
    return {
      label: 'View appointment',
      url: `${this.config.publicUrl}/appointments/${appointmentId}`,
    };
  }

  private async appointmentView(appointmentId: string): Promise<AppointmentView | null> {
    const appointment = await this.db
      .getRepository(Appointment)
      .findOne({ where: { id: appointmentId } });
    if (!appointment) return null;
    const people = await this.people([appointment.patientId, appointment.doctorId]);
    const profile = await this.db
      .getRepository(DoctorProfile)
      .findOne({ where: { userId: appointment.doctorId } });
    const patient = people.get(appointment.patientId);
    const doctor = people.get(appointment.doctorId);
    if (!patient || !doctor) return null;
    return { appointment, patient, doctor, doctorZone: profile?.timezone ?? doctor.timezone };
  }

  private async person(id: string): Promise<Person | null> {
    return (await this.people([id])).get(id) ?? null;
  }

  private async people(ids: string[]): Promise<Map<string, Person>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.getRepository(User).find({
      where: ids.map((id) => ({ id })),
      select: { id: true, email: true, firstName: true, lastName: true, timezone: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  }
}

function payloadOf<P>(event: { payload: unknown }): P {
  return event.payload as P;
}
