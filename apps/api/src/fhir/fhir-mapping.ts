import type {
  Appointment as FhirAppointment,
  AppointmentParticipant,
  Extension,
  Patient,
  Practitioner,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import type { PublicDoctor, VisitTypeSummary } from '@app/booking';
import { formatInstant } from '@app/booking';
import { Appointment, AppointmentStatus, IntakeAnswer, User } from '@app/database';

/** Where this server's own extensions and code systems are defined (docs/fhir.md). */
export const FHIR_DEFINITIONS = 'https://doctor-appointment.dev/fhir';
export const STATUS_EXTENSION = `${FHIR_DEFINITIONS}/StructureDefinition/appointment-status`;
export const ANSWER_EXTENSION = `${FHIR_DEFINITIONS}/StructureDefinition/intake-answer`;
export const ERROR_CODE_SYSTEM = `${FHIR_DEFINITIONS}/CodeSystem/error-code`;

/** SPEC §6: the FHIR status of each of ours. */
const STATUS: Record<AppointmentStatus, FhirAppointment['status']> = {
  [AppointmentStatus.PendingApproval]: 'pending',
  [AppointmentStatus.PendingPayment]: 'pending',
  [AppointmentStatus.Confirmed]: 'booked',
  [AppointmentStatus.Completed]: 'fulfilled',
  [AppointmentStatus.Cancelled]: 'cancelled',
  [AppointmentStatus.Declined]: 'cancelled',
  [AppointmentStatus.Expired]: 'cancelled',
  [AppointmentStatus.Rescheduled]: 'cancelled',
  [AppointmentStatus.NoShow]: 'noshow',
};

export function fhirStatus(status: AppointmentStatus): FhirAppointment['status'] {
  return STATUS[status];
}

/** A Slot's id is stable for a start: `<visitTypeId>.<epochSeconds>`. */
export function slotId(visitTypeId: string, start: Date): string {
  return `${visitTypeId}.${Math.floor(start.getTime() / 1000)}`;
}

const SLOT_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,12})$/i;

/** The visit type and start a Slot id names, or null for anything else. */
export function parseSlotId(id: string): { visitTypeId: string; startsAt: Date } | null {
  const match = SLOT_ID.exec(id);
  if (!match) return null;
  return { visitTypeId: match[1].toLowerCase(), startsAt: new Date(Number(match[2]) * 1000) };
}

const instant = (date: Date) => formatInstant(date.getTime());

export function toPractitioner(doctor: PublicDoctor): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: doctor.id,
    active: true,
    name: [
      {
        use: 'official',
        text: `${doctor.firstName} ${doctor.lastName}`,
        family: doctor.lastName,
        given: [doctor.firstName],
      },
    ],
  };
}

/** One Schedule per active visit type: its id is the visit type's. */
export function toSchedule(doctor: PublicDoctor, type: VisitTypeSummary): Schedule {
  return {
    resourceType: 'Schedule',
    id: type.id,
    active: true,
    serviceType: [{ text: type.name }],
    actor: [
      { reference: `Practitioner/${doctor.id}`, display: `${doctor.firstName} ${doctor.lastName}` },
    ],
    comment: `${type.durationMinutes}-minute ${type.mode.replace('_', '-')} visit, ${type.price.amount} ${type.price.currency}`,
  };
}

export function toSlot(visitTypeId: string, slot: { start: Date; end: Date }): Slot {
  return {
    resourceType: 'Slot',
    id: slotId(visitTypeId, slot.start),
    schedule: { reference: `Schedule/${visitTypeId}` },
    status: 'free',
    start: instant(slot.start),
    end: instant(slot.end),
  };
}

const fullName = (user: Pick<User, 'firstName' | 'lastName'>) =>
  `${user.firstName} ${user.lastName}`;

/** Email and phone only for the patient themself and admins (REST shows doctors the name). */
export function toPatient(user: User, withContact: boolean): Patient {
  const telecom = withContact
    ? [
        { system: 'email' as const, value: user.email },
        ...(user.phone ? [{ system: 'phone' as const, value: user.phone }] : []),
      ]
    : undefined;
  return {
    resourceType: 'Patient',
    id: user.id,
    meta: { lastUpdated: instant(user.updatedAt) },
    active: user.deactivatedAt === null,
    name: [
      { use: 'official', text: fullName(user), family: user.lastName, given: [user.firstName] },
    ],
    ...(telecom ? { telecom } : {}),
  };
}

function answerExtension(answer: IntakeAnswer): Extension {
  const values = Array.isArray(answer.value) ? answer.value : [answer.value];
  return {
    url: ANSWER_EXTENSION,
    extension: [
      { url: 'key', valueCode: answer.key },
      { url: 'label', valueString: answer.label },
      ...values.map((value) =>
        typeof value === 'boolean'
          ? { url: 'value', valueBoolean: value }
          : { url: 'value', valueString: value },
      ),
    ],
  };
}

/**
 * The appointment as its patient, its doctor or an admin sees it (the only FHIR resource
 * that carries the reason and the intake answers).
 */
export function toFhirAppointment(appointment: Appointment): FhirAppointment {
  const doctorStatus: AppointmentParticipant['status'] =
    appointment.status === AppointmentStatus.PendingApproval
      ? 'needs-action'
      : appointment.status === AppointmentStatus.Declined
        ? 'declined'
        : 'accepted';
  const patient = appointment.patient;
  const doctor = appointment.doctor;
  const cancellation = appointment.cancellationReason ?? appointment.declineReason;
  return {
    resourceType: 'Appointment',
    id: appointment.id,
    meta: { versionId: String(appointment.version), lastUpdated: instant(appointment.updatedAt) },
    extension: [
      { url: STATUS_EXTENSION, valueCode: appointment.status },
      ...(appointment.answers ?? []).map(answerExtension),
    ],
    status: fhirStatus(appointment.status),
    ...(cancellation && STATUS[appointment.status] === 'cancelled'
      ? { cancelationReason: { text: cancellation } }
      : {}),
    ...(appointment.visitType ? { serviceType: [{ text: appointment.visitType.name }] } : {}),
    ...(appointment.reason ? { reasonCode: [{ text: appointment.reason }] } : {}),
    start: instant(appointment.startsAt),
    end: instant(appointment.endsAt),
    minutesDuration: Math.round(
      (appointment.endsAt.getTime() - appointment.startsAt.getTime()) / 60_000,
    ),
    slot: [{ reference: `Slot/${slotId(appointment.visitTypeId, appointment.startsAt)}` }],
    created: instant(appointment.createdAt),
    participant: [
      {
        actor: {
          reference: `Patient/${appointment.patientId}`,
          ...(patient ? { display: fullName(patient) } : {}),
        },
        required: 'required',
        status: 'accepted',
      },
      {
        actor: {
          reference: `Practitioner/${appointment.doctorId}`,
          ...(doctor ? { display: fullName(doctor) } : {}),
        },
        required: 'required',
        status: doctorStatus,
      },
    ],
  };
}
