import { Injectable } from '@nestjs/common';
import { AppointmentStatus } from '@app/database';
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
    payload: { appointmentId: string },
  ): Promise<NotificationDraft[]> {
    const view = await this.reads.appointmentView(payload.appointmentId);
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
      action: this.reads.appointmentLink(appointment.id),
    }));
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
    payload: { appointmentId: string; cancelledBy: string | null; refund: boolean },
  ): Promise<NotificationDraft[]> {
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
