import { randomUUID } from 'node:crypto';
import { ACTOR_PASSWORD } from '../support/doctor-helpers';
import { ResourceKind, Role, SecurityFixtures } from './support/fixtures';
import { send } from './support/http';

/**
 * Who may call what: the expected answer of every route for every caller, declared once.
 * Routes of /docs-json without a rule here fail the access matrix, so a new route is
 * covered the moment it is documented. Resources named by `{id}` belong to patient A
 * and doctor X; someone else's resource answers 404, a role that may never call the
 * route 403, no token 401.
 */

/** An exact status, or a class where the contract leaves the exact one open. */
export type Expected = number | '2xx' | '4xx';

export interface CallContext {
  role: Role;
  fx: SecurityFixtures;
  /** The fresh resource the path `{id}` names. */
  id?: string;
}

export type AccessRule = Record<Role, Expected> & {
  /** What the path `{id}` names (a fresh one per call). */
  id?: ResourceKind;
  body?: (ctx: CallContext) => unknown | Promise<unknown>;
  query?: (ctx: CallContext) => Record<string, string | string[]>;
};

const EVERYONE = (status: Expected) =>
  ({
    anonymous: status,
    patientA: status,
    patientB: status,
    doctorX: status,
    doctorY: status,
    admin: status,
  }) as const;
const SIGNED_IN = (status: Expected) => ({ ...EVERYONE(status), anonymous: 401 }) as const;
const PATIENTS = (status: Expected) =>
  ({ ...SIGNED_IN(403), patientA: status, patientB: status }) as const;
const DOCTORS = (status: Expected) =>
  ({ ...SIGNED_IN(403), doctorX: status, doctorY: status }) as const;
const ADMINS = (status: Expected) => ({ ...SIGNED_IN(403), admin: status }) as const;

const uniqueEmail = (label: string) => `${label}.${randomUUID().slice(0, 8)}@example.test`;

/** An admin names the doctor whose patients hear it; a doctor reaches their own. */
function announcement({ role, fx }: CallContext) {
  const message = { title: 'Closed on Friday', body: 'The practice is closed on Friday.' };
  return role === 'admin' ? { ...message, doctorId: fx.doctorX.id } : message;
}

/** A fresh refresh token of patient A (signs in through the API). */
async function refreshTokenOfA({ fx }: CallContext): Promise<string> {
  const res = await send(fx.app.baseUrl, {
    method: 'POST',
    url: '/api/v1/auth/login',
    body: { email: fx.patientA.email, password: ACTOR_PASSWORD },
  });
  const token = (res.json as { refreshToken?: string } | undefined)?.refreshToken;
  if (!token) throw new Error(`login of patient A answered ${res.status}: ${res.text}`);
  return token;
}

/** A FHIR booking of X's next free slot; patients book for themselves (the others are refused first). */
function fhirBooking({ role, fx }: CallContext) {
  const patient = role === 'patientB' ? fx.actors.patientB : fx.patientA;
  return {
    resourceType: 'Appointment',
    status: 'booked',
    slot: [{ reference: `Slot/${fx.visitTypeOfX}.${fx.nextSlot().getTime() / 1000}` }],
    participant: [{ actor: { reference: `Patient/${patient.id}` }, status: 'accepted' }],
  };
}

const WEEK = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
  dayOfWeek,
  startTime: '00:00',
  endTime: '24:00',
}));

// A table: one row per route, so it stays aligned.
// prettier-ignore
export const ACCESS_RULES: Record<string, AccessRule> = {
  // Operations: public by design (keep /metrics behind the proxy; see SECURITY.md).
  'GET /health/live':                            EVERYONE(200),
  'GET /health/ready':                           EVERYONE(200),
  'GET /metrics':                                EVERYONE(200),

  // Accounts
  'POST /api/v1/auth/register':                  { ...EVERYONE(201), body: () => ({ email: uniqueEmail('matrix'), password: ACTOR_PASSWORD, firstName: 'Max', lastName: 'Trix' }) },
  'POST /api/v1/auth/login':                     { ...EVERYONE(200), body: ({ fx }) => ({ email: fx.patientA.email, password: ACTOR_PASSWORD }) },
  'POST /api/v1/auth/refresh':                   { ...EVERYONE(200), body: async (ctx) => ({ refreshToken: await refreshTokenOfA(ctx) }) },
  'POST /api/v1/auth/logout':                    { ...SIGNED_IN(204), body: async (ctx) => ({ refreshToken: await refreshTokenOfA(ctx) }) },
  'POST /api/v1/auth/verify-email':              { ...EVERYONE(400), body: () => ({ token: 'not-an-issued-token' }) },
  'POST /api/v1/auth/forgot-password':           { ...EVERYONE(202), body: ({ fx }) => ({ email: fx.patientA.email }) },
  'POST /api/v1/auth/reset-password':            { ...EVERYONE(400), body: () => ({ token: 'not-an-issued-token', password: 'another long passphrase' }) },
  'GET /api/v1/me':                              SIGNED_IN(200),
  'PATCH /api/v1/me':                            { ...SIGNED_IN(200), body: () => ({ firstName: 'Renamed' }) },
  'GET /api/v1/me/export':                       SIGNED_IN(200),
  // With a wrong password: a right one would erase the shared fixtures (people.e2e erases).
  'DELETE /api/v1/me':                           { ...SIGNED_IN(403), body: () => ({ password: 'not the password' }) },

  // Calendars: the feed URL is its own secret (a token nobody was given is 404 for everyone)
  'POST /api/v1/me/calendar-feed':               SIGNED_IN(201),
  'DELETE /api/v1/me/calendar-feed':             SIGNED_IN(204),
  'GET /calendar/{feed}.ics':                    { ...EVERYONE(404), id: 'doctorX' },
  'GET /api/v1/doctors/me/busy-calendars':       DOCTORS(200),
  'PUT /api/v1/doctors/me/busy-calendars':       { ...DOCTORS(200), body: () => ({ urls: ['https://calendar.example.test/busy.ics'] }) },

  // Administration
  'GET /api/v1/admin/users':                     ADMINS(200),
  'PATCH /api/v1/admin/users/{id}':              { ...ADMINS(200), id: 'user', body: () => ({ deactivated: true }) },
  'DELETE /api/v1/admin/users/{id}':             { ...ADMINS(202), id: 'user' },
  'POST /api/v1/admin/doctors':                  { ...ADMINS(201), body: () => ({ email: uniqueEmail('doctor'), firstName: 'New', lastName: 'Doctor', password: ACTOR_PASSWORD }) },
  'GET /api/v1/admin/audit':                     ADMINS(200),
  'GET /api/v1/admin/work':                      ADMINS(200),
  'POST /api/v1/admin/work/{id}/retry':          { ...ADMINS(200), id: 'failedWork' },
  'POST /admin/queues/session':                  ADMINS(201),

  // Appointments: A's appointment with X
  'POST /api/v1/appointments':                   { ...PATIENTS(201), body: ({ fx }) => ({ doctorId: fx.doctorX.id, startsAt: fx.nextSlot().toISOString(), reason: 'Checkup' }) },
  'GET /api/v1/appointments':                    SIGNED_IN(200),
  'GET /api/v1/appointments/{id}':               { anonymous: 401, patientA: 200, patientB: 404, doctorX: 200, doctorY: 404, admin: 200, id: 'appointment' },
  'POST /api/v1/appointments/{id}/cancel':       { anonymous: 401, patientA: 200, patientB: 404, doctorX: 200, doctorY: 404, admin: 200, id: 'appointment', body: () => ({ reason: 'Cannot come' }) },
  'POST /api/v1/appointments/{id}/reschedule':   { anonymous: 401, patientA: 200, patientB: 404, doctorX: 200, doctorY: 404, admin: 403, id: 'appointment', body: ({ fx }) => ({ startsAt: fx.nextSlot().toISOString() }) },
  'POST /api/v1/appointments/{id}/approve':     { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 200, id: 'approvalAppointment' },
  'POST /api/v1/appointments/{id}/decline':     { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 200, id: 'approvalAppointment', body: () => ({ reason: 'Not my field' }) },
  'POST /api/v1/appointments/{id}/complete':     { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 403, id: 'pastAppointment' },
  'POST /api/v1/appointments/{id}/no-show':      { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 403, id: 'pastAppointment' },
  // Recurring series: A's series with X
  'POST /api/v1/appointment-series':             { ...PATIENTS(201), body: ({ fx }) => ({ doctorId: fx.doctorX.id, startsAt: fx.nextSlot().toISOString(), repeat: { every: 4, unit: 'week' }, count: 2 }) },
  'GET /api/v1/appointment-series/{id}':         { anonymous: 401, patientA: 200, patientB: 404, doctorX: 200, doctorY: 404, admin: 200, id: 'series' },
  'POST /api/v1/appointment-series/{id}/cancel': { anonymous: 401, patientA: 200, patientB: 404, doctorX: 200, doctorY: 404, admin: 200, id: 'series', body: () => ({ reason: 'Moving away' }) },
  'POST /api/v1/appointment-series/{id}/approve': { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 200, id: 'approvalSeries' },
  'POST /api/v1/appointment-series/{id}/decline': { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 200, id: 'approvalSeries', body: () => ({ reason: 'Not my field' }) },
  'POST /api/v1/appointment-series/{id}/payments': { anonymous: 401, patientA: 201, patientB: 404, doctorX: 403, doctorY: 403, admin: 403, id: 'unpaidSeries', body: () => ({}) },
  'POST /api/v1/waitlist':                       { ...PATIENTS(201), body: ({ fx }) => ({ doctorId: fx.doctorX.id, from: fx.dateAhead(7), to: fx.dateAhead(9) }) },
  'GET /api/v1/waitlist':                        PATIENTS(200),
  'DELETE /api/v1/waitlist/{id}':                { anonymous: 401, patientA: 204, patientB: 404, doctorX: 403, doctorY: 403, admin: 403, id: 'waitlistEntry' },

  // Doctors and specialties
  'GET /api/v1/specialties':                     EVERYONE(200),
  'GET /api/v1/specialties/{id}':                { ...EVERYONE(200), id: 'specialty' },
  'POST /api/v1/specialties':                    { ...ADMINS(201), body: () => ({ name: `Specialty ${randomUUID()}` }) },
  'GET /api/v1/doctors':                         EVERYONE(200),
  'GET /api/v1/doctors/{id}':                    { ...EVERYONE(200), id: 'doctorX' },
  'GET /api/v1/doctors/{id}/slots':              { ...EVERYONE(200), id: 'doctorX', query: ({ fx }) => ({ from: fx.dateAhead(3), to: fx.dateAhead(4) }) },
  'GET /api/v1/doctors/{id}/visit-types':        { ...EVERYONE(200), id: 'doctorX' },
  'GET /api/v1/doctors/me/visit-types':          DOCTORS(200),
  'POST /api/v1/doctors/me/visit-types':         { ...DOCTORS(201), body: () => ({ name: 'Second opinion', durationMinutes: 30, price: { amount: '60.00', currency: 'USD' }, position: 200 }) },
  'GET /api/v1/doctors/me/visit-types/{id}':     { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 403, id: 'visitType' },
  'PATCH /api/v1/doctors/me/visit-types/{id}':   { anonymous: 401, patientA: 403, patientB: 403, doctorX: 200, doctorY: 404, admin: 403, id: 'visitType', body: () => ({ description: 'Renamed by the access matrix' }) },
  'DELETE /api/v1/doctors/me/visit-types/{id}':  { anonymous: 401, patientA: 403, patientB: 403, doctorX: 204, doctorY: 404, admin: 403, id: 'visitType' },
  'GET /api/v1/doctors/me':                      DOCTORS(200),
  'PATCH /api/v1/doctors/me':                    { ...DOCTORS(200), body: () => ({ bio: 'Updated by the access matrix' }) },
  'GET /api/v1/doctors/me/availability':         DOCTORS(200),
  // The week the fixtures book against: every day, all day.
  'PUT /api/v1/doctors/me/availability':         { ...DOCTORS(200), body: () => ({ rules: WEEK }) },
  'POST /api/v1/doctors/me/time-off':            { ...DOCTORS(201), body: ({ fx }) => ({ startsAt: `${fx.dateAhead(80)}T10:00:00Z`, endsAt: `${fx.dateAhead(80)}T11:00:00Z` }) },
  'GET /api/v1/doctors/me/time-off':             DOCTORS(200),
  'DELETE /api/v1/doctors/me/time-off/{id}':     { anonymous: 401, patientA: 403, patientB: 403, doctorX: 204, doctorY: 404, admin: 403, id: 'timeOff' },

  // Notifications: A's notification
  'GET /api/v1/notifications':                   SIGNED_IN(200),
  'GET /api/v1/notifications/unread-count':      SIGNED_IN(200),
  'POST /api/v1/notifications/read-all':         SIGNED_IN(200),
  'POST /api/v1/notifications/{id}/read':        { anonymous: 401, patientA: 200, patientB: 404, doctorX: 404, doctorY: 404, admin: 404, id: 'notification' },
  'POST /api/v1/notifications/stream-ticket':    SIGNED_IN(201),
  'GET /api/v1/notifications/stream':            SIGNED_IN(200),
  'POST /api/v1/notifications/announcements':    { ...SIGNED_IN(403), doctorX: 202, doctorY: 202, admin: 202, body: announcement },

  // Payments: the patient of the appointment, and admins for reading
  'POST /api/v1/appointments/{id}/payments':     { anonymous: 401, patientA: 201, patientB: 404, doctorX: 403, doctorY: 403, admin: 403, id: 'unpaidAppointment', body: () => ({}) },
  'POST /api/v1/payments/{id}/capture':          { anonymous: 401, patientA: 202, patientB: 404, doctorX: 403, doctorY: 403, admin: 403, id: 'payment', body: () => ({}) },
  'GET /api/v1/payments/{id}':                   { anonymous: 401, patientA: 200, patientB: 404, doctorX: 404, doctorY: 404, admin: 200, id: 'payment' },
  // Outgoing webhooks: doctor X's endpoint; doctors and admins manage endpoints, patients never
  'POST /api/v1/webhooks':                       { ...SIGNED_IN(403), doctorX: 201, doctorY: 201, admin: 201, body: () => ({ url: 'https://ehr.example.com/hooks', events: ['appointment.booked'] }) },
  'GET /api/v1/webhooks':                        { ...SIGNED_IN(403), doctorX: 200, doctorY: 200, admin: 200 },
  'GET /api/v1/webhooks/{id}':                   { ...SIGNED_IN(403), doctorX: 200, doctorY: 404, admin: 200, id: 'webhook' },
  'PATCH /api/v1/webhooks/{id}':                 { ...SIGNED_IN(403), doctorX: 200, doctorY: 404, admin: 200, id: 'webhook', body: () => ({ description: 'Renamed by the access matrix' }) },
  'DELETE /api/v1/webhooks/{id}':                { ...SIGNED_IN(403), doctorX: 204, doctorY: 404, admin: 204, id: 'webhook' },
  'POST /api/v1/webhooks/{id}/rotate-secret':    { ...SIGNED_IN(403), doctorX: 200, doctorY: 404, admin: 200, id: 'webhook' },
  'GET /api/v1/webhooks/{id}/deliveries':        { ...SIGNED_IN(403), doctorX: 200, doctorY: 404, admin: 200, id: 'webhook' },
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': { ...SIGNED_IN(403), doctorX: 202, doctorY: 404, admin: 202, id: 'webhookDelivery' },
  'POST /api/v1/webhooks/{id}/test':             { ...SIGNED_IN(403), doctorX: 202, doctorY: 404, admin: 202, id: 'webhook' },

  // PayPal's webhook: public, and nothing unsigned gets through.
  'POST /api/v1/payments/webhooks/paypal':       { ...EVERYONE(400), body: () => ({ id: 'WH-FORGED', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'forged' } }) },

  // FHIR R4 (SPEC §6): the same callers as the REST routes they mirror.
  'GET /fhir/R4/metadata':                       EVERYONE(200),
  'GET /fhir/R4/Practitioner':                   { ...EVERYONE(200), query: () => ({ name: 'Dana', _count: '5' }) },
  'GET /fhir/R4/Practitioner/{id}':              { ...EVERYONE(200), id: 'doctorX' },
  'GET /fhir/R4/Schedule':                       { ...EVERYONE(200), query: ({ fx }) => ({ actor: `Practitioner/${fx.doctorX.id}` }) },
  'GET /fhir/R4/Slot':                           { ...EVERYONE(200), query: ({ fx }) => ({ schedule: `Schedule/${fx.visitTypeOfX}`, start: [`ge${fx.dateAhead(3)}T00:00:00Z`, `lt${fx.dateAhead(4)}T00:00:00Z`] }) },
  'GET /fhir/R4/Appointment':                    SIGNED_IN(200),
  'POST /fhir/R4/Appointment':                   { ...PATIENTS(201), body: fhirBooking },
  'GET /fhir/R4/Appointment/{id}':               { anonymous: 401, patientA: 200, patientB: 404, doctorX: 200, doctorY: 404, admin: 200, id: 'appointment' },
  'GET /fhir/R4/Patient/{id}':                   { anonymous: 401, patientA: 200, patientB: 404, doctorX: 200, doctorY: 404, admin: 200, id: 'patientA' },
};

/** Routes outside /docs-json that must follow the same rules. */
// prettier-ignore
export const UNDOCUMENTED_RULES: Record<string, AccessRule> = {
  'GET /docs':                                   EVERYONE(200),
  'GET /docs-json':                              EVERYONE(200),
  'GET /admin/queues':                           ADMINS(200),
  'GET /admin/queues/api/queues':                ADMINS(200),
};
