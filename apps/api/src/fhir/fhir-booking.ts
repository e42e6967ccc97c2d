import type { AuthUser } from '@app/auth';
import { DomainError, ErrorCode, FieldError, ValidationError } from '@app/common';
import { NotASlotError } from '@app/booking';
import type { IntakeQuestion } from '@app/database';
import { ANSWER_EXTENSION, parseSlotId } from './fhir-mapping';

/** What `POST /fhir/R4/Appointment` asks the booking use case for. */
export interface FhirBookingRequest {
  visitTypeId: string;
  startsAt: Date;
  reason?: string;
  /** Each answer's values in order (several only for a multi_choice question). */
  answers?: AnswerValues;
}

export type AnswerValues = Map<string, (string | boolean)[]>;

/** The elements of an R4 Appointment: anything else in a body is refused, not ignored. */
const APPOINTMENT_ELEMENTS = new Set([
  'resourceType',
  'id',
  'meta',
  'implicitRules',
  'language',
  'text',
  'contained',
  'extension',
  'modifierExtension',
  'identifier',
  'status',
  'cancelationReason',
  'serviceCategory',
  'serviceType',
  'specialty',
  'appointmentType',
  'reasonCode',
  'reasonReference',
  'priority',
  'description',
  'supportingInformation',
  'start',
  'end',
  'minutesDuration',
  'slot',
  'created',
  'comment',
  'patientInstruction',
  'basedOn',
  'participant',
  'requestedPeriod',
]);
/** Elements read here that are lists of objects, with their most items (as documented). */
const ARRAY_ELEMENTS: Record<string, number> = {
  slot: 1,
  participant: 10,
  reasonCode: 1,
  extension: 20,
};
/** FHIR's id type: ignored on create, but it must be one. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const BOOKABLE_STATUSES = new Set(['proposed', 'pending', 'booked']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a booking from an Appointment resource: one `slot` reference, the caller as the
 * Patient participant (another patient is 403), a bookable status, the reason in
 * `reasonCode[0].text` and intake answers in our answer extension. Structural mistakes are
 * 400 (`invalid`) with one issue per field.
 */
export function readBooking(body: unknown, caller: AuthUser): FhirBookingRequest {
  if (!isObject(body) || body.resourceType !== 'Appointment')
    throw ValidationError.field('resourceType', 'the body must be an Appointment resource');
  const errors: FieldError[] = Object.keys(body)
    .filter((name) => !APPOINTMENT_ELEMENTS.has(name))
    .map((field) => ({ field, message: `${field} is not an element of Appointment` }));
  for (const [name, maxItems] of Object.entries(ARRAY_ELEMENTS)) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every(isObject) || value.length > maxItems)
      errors.push({ field: name, message: `${name} must be at most ${maxItems} objects` });
  }
  if (body.id != null && (typeof body.id !== 'string' || !FHIR_ID.test(body.id)))
    errors.push({ field: 'id', message: 'id must be a FHIR id (it is ignored on create)' });
  if (typeof body.status !== 'string' || !BOOKABLE_STATUSES.has(body.status))
    errors.push({ field: 'status', message: 'status must be proposed, pending or booked' });

  const slots = Array.isArray(body.slot) ? body.slot : [];
  const slotRef = slots.length === 1 && isObject(slots[0]) ? slots[0].reference : undefined;
  const slot =
    typeof slotRef === 'string' && slotRef.startsWith('Slot/')
      ? parseSlotId(slotRef.slice('Slot/'.length))
      : null;
  if (typeof slotRef !== 'string' || !slotRef.startsWith('Slot/'))
    errors.push({
      field: 'slot',
      message: 'slot must hold exactly one { reference: "Slot/<id>" }',
    });

  const actors = (Array.isArray(body.participant) ? body.participant : [])
    .map((p) => (isObject(p) && isObject(p.actor) ? p.actor.reference : undefined))
    .filter((ref): ref is string => typeof ref === 'string');
  const patients = actors.filter((ref) => ref.startsWith('Patient/'));
  if (patients.length !== 1)
    errors.push({
      field: 'participant',
      message: 'participant must name exactly one Patient: the calling patient',
    });

  if (
    body.start != null &&
    (typeof body.start !== 'string' || !slot || Date.parse(body.start) !== slot.startsAt.getTime())
  )
    errors.push({ field: 'start', message: 'start, when given, must be the Slot’s start' });

  const reasonText =
    Array.isArray(body.reasonCode) && isObject(body.reasonCode[0])
      ? body.reasonCode[0].text
      : undefined;
  if (reasonText !== undefined && (typeof reasonText !== 'string' || reasonText.length > 1000))
    errors.push({
      field: 'reasonCode',
      message: 'reasonCode[0].text must be a string of at most 1000 characters',
    });

  const answers = readAnswers(body.extension, errors);
  if (errors.length > 0)
    throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  if (patients[0] !== `Patient/${caller.id}`)
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      'The Patient participant must be the calling patient',
    );
  // A well-formed reference to no Slot of ours: like a start that is not a slot.
  if (!slot) throw new NotASlotError('This Slot id names no slot of this server');
  return {
    visitTypeId: slot.visitTypeId,
    startsAt: slot.startsAt,
    ...(typeof reasonText === 'string' && reasonText.trim() ? { reason: reasonText.trim() } : {}),
    ...(answers ? { answers } : {}),
  };
}

/** Intake answers from our extension: `key` (valueCode) and one or more `value`s. */
function readAnswers(extensions: unknown, errors: FieldError[]): AnswerValues | undefined {
  if (!Array.isArray(extensions)) return undefined;
  const answers: AnswerValues = new Map();
  for (const extension of extensions) {
    if (!isObject(extension) || extension.url !== ANSWER_EXTENSION) continue;
    const parts = Array.isArray(extension.extension) ? extension.extension.filter(isObject) : [];
    const key = parts.find((part) => part.url === 'key')?.valueCode;
    const values = parts
      .filter((part) => part.url === 'value')
      .map((part) => part.valueString ?? part.valueBoolean);
    if (typeof key !== 'string' || values.length === 0) {
      errors.push({ field: 'extension', message: 'an intake answer needs a key and a value' });
    } else if (values.some((value) => typeof value !== 'string' && typeof value !== 'boolean')) {
      errors.push({
        field: `answers.${key}`,
        message: 'values must be valueString or valueBoolean',
      });
    } else {
      answers.set(key, values as (string | boolean)[]);
    }
  }
  return answers.size > 0 ? answers : undefined;
}

/**
 * The answers as `POST /appointments` takes them: a multi_choice question's values as an
 * array (even one), any other question's single value as it is.
 */
export function answersFor(
  values: AnswerValues,
  questions: Pick<IntakeQuestion, 'key' | 'kind'>[],
): Record<string, unknown> {
  const kinds = new Map(questions.map((question) => [question.key, question.kind]));
  return Object.fromEntries(
    [...values].map(([key, list]) => [
      key,
      kinds.get(key) === 'multi_choice' || list.length > 1 ? list : list[0],
    ]),
  );
}
