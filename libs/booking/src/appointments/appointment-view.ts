import { formatMoney, type MoneyDto } from '@app/common';
import {
  type Appointment,
  type AppointmentStatus,
  type IntakeAnswer,
  type User,
  VisitMode,
  type VisitType,
} from '@app/database';

export interface PersonSummary {
  id: string;
  firstName: string;
  lastName: string;
}

export interface AppointmentVisitType {
  id: string;
  name: string;
  durationMinutes: number;
  mode: VisitMode;
  location: string | null;
}

/** An appointment as `GET /appointments/:id` answers it: the API and webhooks both show this. */
export interface AppointmentView {
  id: string;
  doctorId: string;
  patientId: string;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  visitTypeId: string;
  visitType: AppointmentVisitType;
  reason: string | null;
  answers: IntakeAnswer[];
  fee: MoneyDto;
  holdExpiresAt: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancellationReason: string | null;
  rescheduledFromId: string | null;
  approvalDeadlineAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
  seriesId: string | null;
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
    visitTypeId: a.visitTypeId,
    visitType: visitTypeSummary(a),
    reason: a.reason,
    answers: a.answers ?? [],
    fee: formatMoney({ minor: a.feeMinor, currency: a.currency }),
    holdExpiresAt: a.holdExpiresAt?.toISOString() ?? null,
    cancelledAt: a.cancelledAt?.toISOString() ?? null,
    cancelledBy: a.cancelledBy,
    cancellationReason: a.cancellationReason,
    rescheduledFromId: a.rescheduledFromId,
    approvalDeadlineAt: a.approvalDeadlineAt?.toISOString() ?? null,
    declinedAt: a.declinedAt?.toISOString() ?? null,
    declineReason: a.declineReason,
    seriesId: a.seriesId,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    doctor: summary(a.doctor, a.doctorId),
    patient: summary(a.patient, a.patientId),
  };
}

function visitTypeSummary(a: Appointment): AppointmentVisitType {
  const type: Partial<VisitType> = a.visitType ?? {};
  return {
    id: a.visitTypeId,
    name: type.name ?? '',
    // The visit as booked, whatever the type says today.
    durationMinutes: Math.round((a.endsAt.getTime() - a.startsAt.getTime()) / 60_000),
    mode: type.mode ?? VisitMode.InPerson,
    location: type.location ?? null,
  };
}

function summary(user: User | undefined, id: string): PersonSummary {
  return { id, firstName: user?.firstName ?? '', lastName: user?.lastName ?? '' };
}
