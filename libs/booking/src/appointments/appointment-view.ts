import { formatMoney, type MoneyDto } from '@app/common';
import type { Appointment, AppointmentStatus, User } from '@app/database';

export interface PersonSummary {
  id: string;
  firstName: string;
  lastName: string;
}

/** An appointment as `GET /appointments/:id` answers it: the API and webhooks both show this. */
export interface AppointmentView {
  id: string;
  doctorId: string;
  patientId: string;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  reason: string | null;
  fee: MoneyDto;
  holdExpiresAt: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancellationReason: string | null;
  rescheduledFromId: string | null;
  createdAt: string;
  updatedAt: string;
  doctor: PersonSummary;
  patient: PersonSummary;
}

export function toAppointmentView(a: Appointment): AppointmentView {
  return {
    id: a.id,
    doctorId: a.doctorId,
    patientId: a.patientId,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    status: a.status,
    reason: a.reason,
    fee: formatMoney({ minor: a.feeMinor, currency: a.currency }),
    holdExpiresAt: a.holdExpiresAt?.toISOString() ?? null,
    cancelledAt: a.cancelledAt?.toISOString() ?? null,
    cancelledBy: a.cancelledBy,
    cancellationReason: a.cancellationReason,
    rescheduledFromId: a.rescheduledFromId,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    doctor: summary(a.doctor, a.doctorId),
    patient: summary(a.patient, a.patientId),
  };
}

function summary(user: User | undefined, id: string): PersonSummary {
  return { id, firstName: user?.firstName ?? '', lastName: user?.lastName ?? '' };
}
