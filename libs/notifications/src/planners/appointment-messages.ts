import { Injectable } from '@nestjs/common';
import { Appointment, AppointmentStatus } from '@app/database';
import type { Messages } from '../i18n/translator';
import type { NotificationDraft } from '../message';
import {
  AppointmentView,
  BOTH,
  CalendarEvent,
  doctorName,
  NotificationReads,
  Person,
  personName,
  zoneOf,
} from './notification-reads';

type Role = 'patient' | 'doctor';

/** One side of an appointment as a message is written for it. */
interface Reader {
  role: Role;
  person: Person;
  /** The other side's name, as this reader is told it. */
  other: string;
  /** The reader's zone (the patient's own, else the doctor's). */
  zone: string;
  m: Messages;
}

/** What patient and doctor are told about their appointment, each in their own language. */
@Injectable()
export class AppointmentMessages {
  constructor(private readonly reads: NotificationReads) {}

  async reminder(appointmentId: string, offsetMinutes: number): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(appointmentId);
    if (!view || view.appointment.status !== AppointmentStatus.Confirmed) return [];
    if (view.appointment.startsAt.getTime() <= Date.now()) return [];
    const key = `reminder:${offsetMinutes}:${appointmentId}:${view.appointment.startsAt.toISOString()}`;
    return this.forBoth(view, key, 'appointment.reminder', ({ other, zone, m }) => {
      const duration =
        offsetMinutes >= 120
          ? m.t('duration.hours', { count: Math.round(offsetMinutes / 60) })
          : m.t('duration.minutes', { count: offsetMinutes });
      return {
        subject: m.t('appointment.reminder.subject', { duration }),
        heading: m.t('appointment.reminder.heading', { duration }),
        paragraphs: [m.t('appointment.reminder.body', { other })],
        details: [{ label: m.t('label.when'), value: m.when(view.appointment.startsAt, zone) }],
        action: this.reads.appointmentLink(m, appointmentId),
      };
    });
  }

  async appointmentBooked(
    eventId: string,
    payload: { appointmentId: string; seriesId?: string },
  ): Promise<NotificationDraft[]> {
    // Booked with its series: the series' one message lists it.
    if (payload.seriesId) return [];
    const view = await this.reads.appointmentView(payload.appointmentId);
    if (!view) return [];
    const { appointment } = view;
    const pending = appointment.status === AppointmentStatus.PendingPayment;
    const approval = appointment.status === AppointmentStatus.PendingApproval;
    const visit = appointment.visitType?.name;
    return this.forBoth(view, eventId, 'appointment.booked', ({ role, other, zone, m }) => {
      const deadline = appointment.approvalDeadlineAt
        ? m.when(appointment.approvalDeadlineAt, zone)
        : null;
      const patient = role === 'patient';
      return {
        subject: patient
          ? m.t('appointment.booked.patientSubject')
          : approval
            ? m.t('appointment.booked.approvalSubject')
            : m.t('appointment.booked.doctorSubject'),
        heading: patient
          ? m.t('appointment.booked.patientHeading', { other })
          : approval
            ? m.t('appointment.booked.approvalHeading', { other })
            : m.t('appointment.booked.doctorHeading', { other }),
        paragraphs: [
          patient
            ? approval && deadline
              ? m.t('appointment.booked.patientApproval', { other, deadline })
              : pending && appointment.holdExpiresAt
                ? m.t('appointment.booked.patientHold', {
                    until: m.when(appointment.holdExpiresAt, zone),
                  })
                : m.t('appointment.booked.patientBooked')
            : approval && deadline
              ? m.t('appointment.booked.doctorApproval', { deadline })
              : m.t('appointment.booked.doctorBooked'),
        ],
        details: [
          { label: m.t('label.when'), value: m.when(appointment.startsAt, zone) },
          ...(visit ? [{ label: m.t('label.visit'), value: visit }] : []),
          { label: m.t('label.status'), value: m.t(`common.status.${appointment.status}`) },
        ],
        // Health data goes to the doctor's email only.
        intake: patient ? undefined : intakeOf(appointment, m),
        action: this.reads.appointmentLink(m, appointment.id),
      };
    });
  }

  async appointmentApproved(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(payload.appointmentId);
    if (!view || view.patient.erasedAt) return [];
    const { appointment } = view;
    const { zone, m } = this.patientSide(view);
    const pay = appointment.status === AppointmentStatus.PendingPayment;
    return [
      {
        userId: view.patient.id,
        type: 'appointment.approved',
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          locale: m.locale,
          subject: m.t('appointment.approved.subject'),
          heading: m.t('appointment.approved.heading', { doctor: doctorName(m, view.doctor) }),
          paragraphs: [
            pay && appointment.holdExpiresAt
              ? m.t('appointment.approved.pay', { until: m.when(appointment.holdExpiresAt, zone) })
              : m.t('appointment.approved.confirmed'),
          ],
          details: [{ label: m.t('label.when'), value: m.when(appointment.startsAt, zone) }],
          action: this.reads.appointmentLink(m, appointment.id),
        },
        data: { appointmentId: appointment.id, startsAt: appointment.startsAt.toISOString() },
      },
    ];
  }

  async appointmentDeclined(
    eventId: string,
    payload: { appointmentId: string; declinedBy: string | null },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(payload.appointmentId);
    if (!view || view.patient.erasedAt) return [];
    const { appointment } = view;
    const { zone, m } = this.patientSide(view);
    return [
      {
        userId: view.patient.id,
        type: 'appointment.declined',
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          locale: m.locale,
          subject: m.t('appointment.declined.subject'),
          heading: m.t('appointment.declined.heading', { doctor: doctorName(m, view.doctor) }),
          paragraphs: [
            payload.declinedBy
              ? m.t('appointment.declined.byDoctor')
              : m.t('appointment.declined.lapsed'),
          ],
          details: [
            { label: m.t('label.when'), value: m.when(appointment.startsAt, zone) },
            ...(payload.declinedBy && appointment.declineReason
              ? [{ label: m.t('label.note'), value: appointment.declineReason }]
              : []),
          ],
          action: {
            label: m.t('common.findAnotherSlot'),
            url: `${this.reads.config.frontendUrl}/doctors/${view.doctor.id}`,
          },
        },
        data: { appointmentId: appointment.id, doctorId: view.doctor.id },
      },
    ];
  }

  async appointmentConfirmed(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(payload.appointmentId);
    if (!view) return [];
    const { appointment } = view;
    const calendar = await this.reads.calendarEvent(appointment, AppointmentStatus.Confirmed);
    return this.forBoth(
      view,
      eventId,
      'appointment.confirmed',
      ({ other, zone, m }) => ({
        subject: m.t('appointment.confirmed.subject'),
        heading: m.t('appointment.confirmed.heading', { other }),
        paragraphs: [m.t('appointment.confirmed.body')],
        details: [{ label: m.t('label.when'), value: m.when(appointment.startsAt, zone) }],
        action: this.reads.appointmentLink(m, appointment.id),
      }),
      (reader) => this.invite(view, calendar, reader, 'REQUEST'),
    );
  }

  async appointmentCancelled(
    eventId: string,
    payload: {
      appointmentId: string;
      cancelledBy: string | null;
      refund: boolean;
      seriesId?: string;
    },
  ): Promise<NotificationDraft[]> {
    // Cancelled with the rest of its series: the series' one message lists it.
    if (payload.seriesId) return [];
    const view = await this.reads.appointmentView(payload.appointmentId);
    if (!view) return [];
    const { appointment } = view;
    const by =
      payload.cancelledBy === view.patient.id
        ? 'patient'
        : payload.cancelledBy === view.doctor.id
          ? 'doctor'
          : 'team';
    const calendar = await this.reads.calendarEvent(appointment, AppointmentStatus.Cancelled);
    return this.forBoth(
      view,
      eventId,
      'appointment.cancelled',
      ({ role, other, zone, m }) => ({
        subject: m.t('appointment.cancelled.subject'),
        heading: m.t('appointment.cancelled.heading', { other }),
        paragraphs: [
          m.t('appointment.cancelled.by', { by }),
          ...(role === 'patient' && appointment.feeMinor > 0
            ? [
                payload.refund
                  ? m.t('appointment.cancelled.refund')
                  : m.t('appointment.cancelled.noRefund'),
              ]
            : []),
        ],
        details: [
          { label: m.t('label.when'), value: m.when(appointment.startsAt, zone) },
          ...(appointment.cancellationReason
            ? [{ label: m.t('label.reason'), value: appointment.cancellationReason }]
            : []),
        ],
      }),
      (reader) => this.invite(view, calendar, reader, 'CANCEL'),
    );
  }

  async appointmentRescheduled(
    eventId: string,
    payload: { appointmentId: string; previousAppointmentId: string },
  ): Promise<NotificationDraft[]> {
    const [view, previous] = await Promise.all([
      this.reads.appointmentView(payload.appointmentId),
      this.reads.appointment(payload.previousAppointmentId),
    ]);
    if (!view) return [];
    // The moved appointment as it was created: later changes send their own invites.
    const calendar = await this.reads.calendarEvent(view.appointment, null);
    return this.forBoth(
      view,
      eventId,
      'appointment.rescheduled',
      ({ other, zone, m }) => ({
        subject: m.t('appointment.rescheduled.subject'),
        heading: m.t('appointment.rescheduled.heading', { other }),
        paragraphs: [m.t('appointment.rescheduled.body')],
        details: [
          ...(previous
            ? [{ label: m.t('label.was'), value: m.when(previous.startsAt, zone) }]
            : []),
          { label: m.t('label.now'), value: m.when(view.appointment.startsAt, zone) },
        ],
        action: this.reads.appointmentLink(m, view.appointment.id),
      }),
      (reader) => this.invite(view, calendar, reader, 'REQUEST'),
    );
  }

  async holdExpired(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(payload.appointmentId);
    if (!view || view.patient.erasedAt) return [];
    const { zone, m } = this.patientSide(view);
    return [
      {
        userId: view.patient.id,
        type: 'appointment.hold_expired',
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          locale: m.locale,
          subject: m.t('appointment.holdExpired.subject'),
          heading: m.t('appointment.holdExpired.heading'),
          paragraphs: [m.t('appointment.holdExpired.body', { doctor: doctorName(m, view.doctor) })],
          details: [{ label: m.t('label.when'), value: m.when(view.appointment.startsAt, zone) }],
          action: {
            label: m.t('common.findAnotherSlot'),
            url: `${this.reads.config.frontendUrl}/doctors/${view.doctor.id}`,
          },
        },
        data: { appointmentId: view.appointment.id, doctorId: view.doctor.id },
      },
    ];
  }

  /** Both sides, each in their own language and zone; `occasion` keys each one's notification. */
  forBoth(
    view: AppointmentView,
    occasion: string,
    type: string,
    content: (reader: Reader) => Omit<NotificationDraft['content'], 'locale'>,
    calendar?: (reader: Reader) => NotificationDraft['calendar'],
  ): NotificationDraft[] {
    // An erased account is told nothing: it has no address, and no one reads its inbox.
    const readers = [this.patientSide(view), this.doctorSide(view)];
    return readers
      .filter((reader) => !reader.person.erasedAt)
      .map((reader) => ({
        userId: reader.person.id,
        type,
        dedupeKey: `${occasion}:${reader.person.id}`,
        channels: BOTH,
        content: { locale: reader.m.locale, ...content(reader) },
        data: {
          appointmentId: view.appointment.id,
          startsAt: view.appointment.startsAt.toISOString(),
        },
        calendar: calendar?.(reader),
      }));
  }

  private patientSide(view: AppointmentView): Reader {
    const m = this.reads.messagesFor(view.patient);
    return {
      role: 'patient',
      person: view.patient,
      other: doctorName(m, view.doctor),
      zone: zoneOf(view.patient, view.doctorZone),
      m,
    };
  }

  private doctorSide(view: AppointmentView): Reader {
    const m = this.reads.messagesFor(view.doctor);
    return {
      role: 'doctor',
      person: view.doctor,
      other: personName(m, view.patient),
      zone: view.doctorZone,
      m,
    };
  }

  /**
   * The doctor organizes, under the mailbox the emails come from; the attendee, the
   * recipient, is added when the email is sent (EmailDelivery), from the address it goes to.
   * The summary is in the recipient's language.
   */
  invite(
    view: AppointmentView,
    calendar: CalendarEvent,
    reader: Reader,
    method: 'REQUEST' | 'CANCEL',
  ): NotificationDraft['calendar'] {
    return {
      appointmentId: calendar.id,
      startsAt: view.appointment.startsAt.toISOString(),
      endsAt: view.appointment.endsAt.toISOString(),
      summary: reader.m.t('appointment.calendarSummary', { other: reader.other }),
      description: `${this.reads.config.frontendUrl}/appointments/${view.appointment.id}`,
      method,
      sequence: calendar.sequence,
      organizer: {
        name: doctorName(this.reads.messagesFor(view.doctor), view.doctor),
        email: this.reads.config.mail.fromAddress,
      },
    };
  }
}

/** Reason and answers as the doctor reads them; answers in the order the type asks them. */
function intakeOf(appointment: Appointment, m: Messages): { label: string; value: string }[] {
  return [
    ...(appointment.reason ? [{ label: m.t('label.reason'), value: appointment.reason }] : []),
    ...(appointment.answers ?? []).map((answer) => ({
      label: answer.label,
      value: Array.isArray(answer.value)
        ? answer.value.join(', ')
        : typeof answer.value === 'boolean'
          ? answer.value
            ? m.t('common.yes')
            : m.t('common.no')
          : answer.value,
    })),
  ];
}
