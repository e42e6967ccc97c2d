import { Injectable } from '@nestjs/common';
import { Appointment, AppointmentStatus } from '@app/database';
import { formatWhen } from '../format';
import type { NotificationDraft } from '../message';
import {
  AppointmentView,
  BOTH,
  CalendarEvent,
  doctorName,
  name,
  NotificationReads,
  Person,
} from './notification-reads';

/** What patient and doctor are told about their appointment. */
@Injectable()
export class AppointmentMessages {
  constructor(private readonly reads: NotificationReads) {}

  async reminder(appointmentId: string, offsetMinutes: number): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(appointmentId);
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
      action: this.reads.appointmentLink(appointmentId),
    }));
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
    return this.forBoth(view, eventId, 'appointment.booked', (reader, other, zone, role) => ({
      subject:
        role === 'patient' ? 'Booking received' : approval ? 'Approval requested' : 'New booking',
      heading:
        role === 'patient'
          ? `Your booking with ${other}`
          : approval
            ? `${other} asks for an appointment`
            : `New booking by ${other}`,
      paragraphs:
        role === 'patient'
          ? approval && appointment.approvalDeadlineAt
            ? [
                `${other} reviews your request and answers by ${formatWhen(appointment.approvalDeadlineAt, zone)}. The time is kept for you until then.`,
              ]
            : pending && appointment.holdExpiresAt
              ? [
                  `Your slot is held until ${formatWhen(appointment.holdExpiresAt, zone)}. Complete the payment before then to confirm it.`,
                ]
              : ['Your appointment is booked.']
          : approval && appointment.approvalDeadlineAt
            ? [
                `Please approve or decline this request by ${formatWhen(appointment.approvalDeadlineAt, zone)}; after that it is declined automatically.`,
              ]
            : ['An appointment was booked in your calendar.'],
      details: [
        { label: 'When', value: formatWhen(appointment.startsAt, zone) },
        ...(visit ? [{ label: 'Visit', value: visit }] : []),
        { label: 'Status', value: appointment.status.replace('_', ' ') },
      ],
      // Health data goes to the doctor's email only.
      intake: role === 'doctor' ? intakeOf(appointment) : undefined,
      action: this.reads.appointmentLink(appointment.id),
    }));
  }

  async appointmentApproved(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(payload.appointmentId);
    if (!view) return [];
    const { appointment } = view;
    const zone = view.patient.timezone;
    const pay = appointment.status === AppointmentStatus.PendingPayment;
    return [
      {
        userId: view.patient.id,
        type: 'appointment.approved',
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          subject: 'Appointment approved',
          heading: `${doctorName(view.doctor)} approved your appointment`,
          paragraphs: [
            pay && appointment.holdExpiresAt
              ? `Complete the payment by ${formatWhen(appointment.holdExpiresAt, zone)} to confirm it.`
              : 'Your appointment is confirmed.',
          ],
          details: [{ label: 'When', value: formatWhen(appointment.startsAt, zone) }],
          action: this.reads.appointmentLink(appointment.id),
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
    if (!view) return [];
    const { appointment } = view;
    const zone = view.patient.timezone;
    return [
      {
        userId: view.patient.id,
        type: 'appointment.declined',
        dedupeKey: `${eventId}:${view.patient.id}`,
        channels: BOTH,
        content: {
          subject: 'Appointment request declined',
          heading: `${doctorName(view.doctor)} could not accept your request`,
          paragraphs: [
            payload.declinedBy
              ? 'The doctor declined this appointment request. You have not been charged.'
              : 'The doctor did not answer in time, so the request lapsed. You have not been charged.',
          ],
          details: [
            { label: 'When', value: formatWhen(appointment.startsAt, zone) },
            ...(payload.declinedBy && appointment.declineReason
              ? [{ label: 'Note', value: appointment.declineReason }]
              : []),
          ],
          action: {
            label: 'Find another slot',
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
      (reader, other, zone) => ({
        subject: 'Appointment confirmed',
        heading: `Appointment with ${other} confirmed`,
        paragraphs: ['The appointment is confirmed. A calendar invitation is attached.'],
        details: [{ label: 'When', value: formatWhen(appointment.startsAt, zone) }],
        action: this.reads.appointmentLink(appointment.id),
      }),
      (role) => this.invite(view, calendar, role, 'REQUEST'),
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
        ? 'the patient'
        : payload.cancelledBy === view.doctor.id
          ? 'the doctor'
          : 'our team';
    const calendar = await this.reads.calendarEvent(appointment, AppointmentStatus.Cancelled);
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
      (role) => this.invite(view, calendar, role, 'CANCEL'),
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
      (reader, other, zone) => ({
        subject: 'Appointment rescheduled',
        heading: `Appointment with ${other} moved`,
        paragraphs: ['The appointment has a new time. An updated calendar invitation is attached.'],
        details: [
          ...(previous ? [{ label: 'Was', value: formatWhen(previous.startsAt, zone) }] : []),
          { label: 'Now', value: formatWhen(view.appointment.startsAt, zone) },
        ],
        action: this.reads.appointmentLink(view.appointment.id),
      }),
      (role) => this.invite(view, calendar, role, 'REQUEST'),
    );
  }

  async holdExpired(
    eventId: string,
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(payload.appointmentId);
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
            url: `${this.reads.config.frontendUrl}/doctors/${view.doctor.id}`,
          },
        },
        data: { appointmentId: view.appointment.id, doctorId: view.doctor.id },
      },
    ];
  }

  forBoth(
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

  /**
   * The doctor organizes, under the mailbox the emails come from; the attendee, the
   * recipient, is added when the email is sent (EmailDelivery), from the address it goes to.
   */
  invite(
    view: AppointmentView,
    calendar: CalendarEvent,
    role: 'patient' | 'doctor',
    method: 'REQUEST' | 'CANCEL',
  ): NotificationDraft['calendar'] {
    const other = role === 'patient' ? doctorName(view.doctor) : name(view.patient);
    return {
      appointmentId: calendar.id,
      startsAt: view.appointment.startsAt.toISOString(),
      endsAt: view.appointment.endsAt.toISOString(),
      summary: `Appointment with ${other}`,
      description: `${this.reads.config.frontendUrl}/appointments/${view.appointment.id}`,
      method,
      sequence: calendar.sequence,
      organizer: { name: doctorName(view.doctor), email: this.reads.config.mail.fromAddress },
    };
  }
}

/** Reason and answers as the doctor reads them; answers in the order the type asks them. */
function intakeOf(appointment: Appointment): { label: string; value: string }[] {
  return [
    ...(appointment.reason ? [{ label: 'Reason', value: appointment.reason }] : []),
    ...(appointment.answers ?? []).map((answer) => ({
      label: answer.label,
      value: Array.isArray(answer.value)
        ? answer.value.join(', ')
        : typeof answer.value === 'boolean'
          ? answer.value
            ? 'Yes'
            : 'No'
          : answer.value,
    })),
  ];
}
