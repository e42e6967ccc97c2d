import { Injectable } from '@nestjs/common';
import { formatMoney } from '@app/common';
import { SeriesQueries } from '@app/booking';
import { Appointment, AppointmentStatus } from '@app/database';
import { formatWhen } from '../format';
import type { NotificationDraft } from '../message';
import { BOTH, doctorName, name, NotificationReads, Person } from './notification-reads';

type Role = 'patient' | 'doctor';

/**
 * What patient and doctor are told about a recurring series: one message for the whole
 * booking or cancellation, listing the dates in the reader's own zone (the occurrences'
 * own booked/cancelled messages are skipped; reminders stay per occurrence).
 */
@Injectable()
export class SeriesMessages {
  constructor(
    private readonly reads: NotificationReads,
    private readonly series: SeriesQueries,
  ) {}

  async seriesBooked(eventId: string, payload: { seriesId: string }): Promise<NotificationDraft[]> {
    const parties = await this.parties(payload.seriesId);
    if (!parties) return [];
    const { appointments } = parties;
    const first = appointments[0];
    const approval = first.status === AppointmentStatus.PendingApproval;
    const pending = first.status === AppointmentStatus.PendingPayment;
    const total = formatMoney({
      minor: appointments.reduce((sum, a) => sum + a.feeMinor, 0),
      currency: first.currency,
    });
    return this.forBoth(parties, eventId, 'series.booked', (role, other, zone) => ({
      subject:
        role === 'patient'
          ? 'Series booked'
          : approval
            ? 'Approval requested for a series'
            : 'New series booking',
      heading:
        role === 'patient'
          ? `Your ${appointments.length} appointments with ${other}`
          : `${other} booked ${appointments.length} appointments`,
      paragraphs: [
        role === 'patient'
          ? approval && first.approvalDeadlineAt
            ? `${other} reviews your request and answers by ${formatWhen(first.approvalDeadlineAt, zone)}. The times are kept for you until then.`
            : pending && first.holdExpiresAt
              ? `The times are held until ${formatWhen(first.holdExpiresAt, zone)}. Pay for the series once before then to confirm them all.`
              : 'Your appointments are booked.'
          : approval && first.approvalDeadlineAt
            ? `Please approve or decline the series by ${formatWhen(first.approvalDeadlineAt, zone)}; after that it is declined automatically.`
            : 'A series of appointments was booked in your calendar.',
        ...(role === 'patient' && first.feeMinor > 0
          ? [`Total: ${total.amount} ${total.currency}.`]
          : []),
      ],
      details: dates(appointments, zone),
      action: this.seriesLink(payload.seriesId),
    }));
  }

  async seriesCancelled(
    eventId: string,
    payload: {
      seriesId: string;
      appointmentIds: string[];
      cancelledBy: string | null;
      refundedAppointmentIds: string[];
    },
  ): Promise<NotificationDraft[]> {
    const parties = await this.parties(payload.seriesId);
    if (!parties) return [];
    const cancelled = parties.appointments.filter((a) => payload.appointmentIds.includes(a.id));
    if (cancelled.length === 0) return [];
    const by =
      payload.cancelledBy === parties.patient.id
        ? 'the patient'
        : payload.cancelledBy === parties.doctor.id
          ? 'the doctor'
          : 'our team';
    const paid = cancelled.some((a) => a.feeMinor > 0);
    const refunded = payload.refundedAppointmentIds.length;
    return this.forBoth(parties, eventId, 'series.cancelled', (role, other, zone) => ({
      subject: 'Appointments cancelled',
      heading: `${cancelled.length} appointment${cancelled.length === 1 ? '' : 's'} with ${other} cancelled`,
      paragraphs: [
        `These appointments of the series were cancelled by ${by}.`,
        ...(role === 'patient' && paid
          ? [
              refunded === 0
                ? 'Under the cancellation policy no refund applies.'
                : refunded === cancelled.length
                  ? 'Your payment for them will be refunded.'
                  : `The payment for ${refunded} of them will be refunded; under the cancellation policy the others are not.`,
            ]
          : []),
      ],
      details: [
        ...dates(cancelled, zone),
        ...(cancelled[0].cancellationReason
          ? [{ label: 'Reason', value: cancelled[0].cancellationReason }]
          : []),
      ],
      action: this.seriesLink(payload.seriesId),
    }));
  }

  private async parties(seriesId: string) {
    const view = await this.series.find(seriesId);
    if (!view || view.appointments.length === 0) return null;
    const people = await this.reads.people([view.series.patientId, view.series.doctorId]);
    const patient = people.get(view.series.patientId);
    const doctor = people.get(view.series.doctorId);
    if (!patient || !doctor) return null;
    const live = view.appointments.filter((a) => a.status !== AppointmentStatus.Rescheduled);
    return { ...view, appointments: live, patient, doctor, doctorZone: view.series.timezone };
  }

  private seriesLink(seriesId: string) {
    return {
      label: 'View series',
      url: `${this.reads.config.frontendUrl}/appointment-series/${seriesId}`,
    };
  }

  private forBoth(
    parties: { patient: Person; doctor: Person; doctorZone: string; series: { id: string } },
    occasion: string,
    type: string,
    content: (role: Role, other: string, zone: string) => NotificationDraft['content'],
  ): NotificationDraft[] {
    const sides = [
      {
        role: 'patient' as const,
        reader: parties.patient,
        other: doctorName(this.reads.messagesFor(parties.patient), parties.doctor),
        zone: parties.patient.timezone,
      },
      {
        role: 'doctor' as const,
        reader: parties.doctor,
        other: name(parties.patient),
        zone: parties.doctorZone,
      },
    ];
    return sides.map(({ role, reader, other, zone }) => ({
      userId: reader.id,
      type,
      dedupeKey: `${occasion}:${reader.id}`,
      channels: BOTH,
      content: content(role, other, zone),
      data: { seriesId: parties.series.id },
    }));
  }
}

/** One line per occurrence, in the reader's zone. */
function dates(appointments: Appointment[], zone: string): { label: string; value: string }[] {
  return appointments.map((a, index) => ({
    label: `${index + 1}.`,
    value: formatWhen(a.startsAt, zone),
  }));
}
