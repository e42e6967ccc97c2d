import { Appointment, AppointmentStatus, Locale, WaitlistEntry } from '@app/database';
import { EventType, StoredEvent } from '@app/queues';
import type { SeriesQueries, WaitlistService } from '@app/booking';
import { LOCALES, Translator } from '../i18n/translator';
import type { NotificationDraft } from '../message';
import { NotificationPlanner } from '../notification-planner';
import { TemplateRenderer } from '../template-renderer';
import { AccountMessages } from './account-messages';
import { AppointmentMessages } from './appointment-messages';
import { BroadcastMessages } from './broadcast-messages';
import { SeriesMessages } from './series-messages';
import { AppointmentView, NotificationReads, Person } from './notification-reads';
import { PaymentMessages } from './payment-messages';

const translator = new Translator();
const renderer = new TemplateRenderer(translator);

const person = (id: string, locale: Locale, timezone: string, lastName: string): Person => ({
  id,
  email: `${id}@example.test`,
  firstName: 'Alex',
  lastName,
  timezone,
  locale,
  erasedAt: null,
});

function appointment(status: AppointmentStatus): Appointment {
  return {
    id: 'appt-1',
    doctorId: 'doctor-1',
    patientId: 'patient-1',
    startsAt: new Date('2027-03-01T14:00:00Z'),
    endsAt: new Date('2027-03-01T14:30:00Z'),
    status,
    visitType: { name: 'Consultation' },
    reason: 'Back pain',
    answers: [
      { key: 'allergies', label: 'Allergies', value: 'none' },
      { key: 'first', label: 'First visit?', value: true },
    ],
    feeMinor: 4500,
    currency: 'EUR',
    holdExpiresAt: new Date('2027-02-20T10:15:00Z'),
    approvalDeadlineAt: new Date('2027-02-21T10:00:00Z'),
    declineReason: 'Fully booked',
    cancellationReason: 'Travelling',
    rescheduledFromId: null,
  } as unknown as Appointment;
}

/** A planner over fixed data: no database, just what the writers read. */
function plannerFor(patient: Person, doctor: Person, status: AppointmentStatus) {
  const view: AppointmentView = {
    appointment: appointment(status),
    patient,
    doctor,
    doctorZone: 'Europe/Berlin',
  };
  const people = new Map([patient, doctor].map((p) => [p.id, p]));
  const reads = {
    config: { frontendUrl: 'http://app.test', mail: { fromAddress: 'no-reply@app.test' } },
    messagesFor: (p: { locale?: string | null }) => translator.for(p.locale),
    appointmentLink: NotificationReads.prototype.appointmentLink,
    appointmentView: () => Promise.resolve(view),
    appointment: () => Promise.resolve({ ...view.appointment, startsAt: new Date('2027-02-28') }),
    calendarEvent: () => Promise.resolve({ id: 'appt-1', sequence: 1 }),
    person: (id: string) => Promise.resolve(people.get(id) ?? null),
    people: () => Promise.resolve(people),
  } as unknown as NotificationReads;
  const waitlist = {
    claimMatches: () => Promise.resolve([{ id: 'wait-1', patientId: patient.id } as WaitlistEntry]),
  } as unknown as WaitlistService;
  return new NotificationPlanner(
    new AccountMessages(reads),
    new AppointmentMessages(reads),
    new PaymentMessages(reads),
    new BroadcastMessages(reads, waitlist),
    // Series messages are English-only for now; not exercised here.
    new SeriesMessages(reads, {} as SeriesQueries),
  );
}

const event = (type: EventType, payload: object): StoredEvent =>
  ({ id: `event-${type}`, type, payload, createdAt: new Date() }) as StoredEvent;

const EVENTS: [EventType, object][] = [
  [EventType.EmailVerificationRequested, { userId: 'patient-1', token: 'tok' }],
  [EventType.PasswordResetRequested, { userId: 'patient-1', token: 'tok' }],
  [EventType.DoctorInvited, { userId: 'doctor-1', token: 'tok' }],
  [EventType.AppointmentBooked, { appointmentId: 'appt-1' }],
  [EventType.AppointmentConfirmed, { appointmentId: 'appt-1' }],
  [
    EventType.AppointmentCancelled,
    { appointmentId: 'appt-1', cancelledBy: 'doctor-1', refund: true },
  ],
  [EventType.AppointmentRescheduled, { appointmentId: 'appt-1', previousAppointmentId: 'appt-0' }],
  [EventType.AppointmentApproved, { appointmentId: 'appt-1' }],
  [EventType.AppointmentDeclined, { appointmentId: 'appt-1', declinedBy: 'doctor-1' }],
  [EventType.AppointmentDeclined, { appointmentId: 'appt-1', declinedBy: null }],
  [EventType.HoldExpired, { appointmentId: 'appt-1' }],
  [
    EventType.SlotFreed,
    { doctorId: 'doctor-1', startsAt: '2027-03-01T14:00:00Z', endsAt: '2027-03-01T14:30:00Z' },
  ],
  [EventType.PaymentCaptured, { paymentId: 'pay-1', appointmentId: 'appt-1' }],
  [EventType.RefundIssued, { paymentId: 'pay-1', appointmentId: 'appt-1', refundId: 'r-1' }],
  [
    EventType.Announcement,
    { senderId: 'doctor-1', recipientIds: ['patient-1'], title: 'Closed', body: 'Sorry.' },
  ],
];

async function everyDraft(patient: Person, doctor: Person): Promise<NotificationDraft[]> {
  const drafts: NotificationDraft[] = [];
  for (const status of [
    AppointmentStatus.PendingPayment,
    AppointmentStatus.PendingApproval,
    AppointmentStatus.Confirmed,
  ]) {
    const planner = plannerFor(patient, doctor, status);
    for (const [type, payload] of EVENTS)
      drafts.push(...(await planner.plan(event(type, payload))));
    drafts.push(...(await planner.reminder('appt-1', 24 * 60)));
    drafts.push(...(await planner.reminder('appt-1', 60)));
  }
  return drafts;
}

describe(NotificationPlanner.name, () => {
  beforeAll(() => {
    jest.useFakeTimers({ now: new Date('2027-02-20T10:00:00Z'), doNotFake: ['nextTick'] });
  });
  afterAll(() => jest.useRealTimers());

  it.each(LOCALES)(
    'writes every %s message and email with every placeholder filled',
    async (locale) => {
      const drafts = await everyDraft(
        person('patient-1', locale, 'Europe/Paris', 'Martin'),
        person('doctor-1', locale, 'Europe/Berlin', 'Weber'),
      );
      expect(drafts.length).toBeGreaterThan(40);
      for (const draft of drafts) {
        expect(draft.content.locale).toBe(locale);
        const email = renderer.render(draft.content, 'notif-1');
        for (const text of [email.subject, email.html, email.text, draft.calendar?.summary ?? '']) {
          expect({ type: draft.type, text }).not.toEqual({
            type: draft.type,
            text: expect.stringMatching(/[{}]/),
          });
        }
        expect(email.html).toContain(`<html lang="${locale}">`);
      }
    },
  );

  it('writes each side of one event in its own language and zone', async () => {
    const drafts = await plannerFor(
      person('patient-1', Locale.De, 'Europe/Berlin', 'Martin'),
      person('doctor-1', Locale.En, 'America/New_York', 'Weber'),
      AppointmentStatus.Confirmed,
    ).plan(event(EventType.AppointmentConfirmed, { appointmentId: 'appt-1' }));
    const [patient, doctor] = drafts;
    expect(patient.content.subject).toBe('Termin bestätigt');
    expect(patient.content.details).toEqual([
      { label: 'Wann', value: 'Montag, 1. März 2027 um 15:00 MEZ' },
    ]);
    expect(patient.calendar?.summary).toBe('Termin mit Dr. Weber');
    expect(doctor.content.subject).toBe('Appointment confirmed');
    // The doctor's zone is the profile's (Europe/Berlin here), not the user row's.
    expect(doctor.content.details?.[0].value).toBe('Monday, 1 March 2027 at 15:00 CET');
    expect(doctor.calendar?.summary).toBe('Appointment with Alex Martin');
  });

  it('keeps health data in the doctor email only, translated around it', async () => {
    const drafts = await plannerFor(
      person('patient-1', Locale.Fr, 'Europe/Paris', 'Martin'),
      person('doctor-1', Locale.Es, 'Europe/Madrid', 'Weber'),
      AppointmentStatus.PendingApproval,
    ).plan(event(EventType.AppointmentBooked, { appointmentId: 'appt-1' }));
    const [patient, doctor] = drafts;
    expect(patient.content.intake).toBeUndefined();
    expect(patient.content.subject).toBe('Réservation reçue');
    expect(doctor.content.subject).toBe('Solicitud de cita');
    expect(doctor.content.intake).toEqual([
      { label: 'Motivo', value: 'Back pain' },
      { label: 'Allergies', value: 'none' },
      { label: 'First visit?', value: 'Sí' },
    ]);
    expect(renderer.render(doctor.content, 'n').text).toContain('Datos del paciente');
  });

  it('does not name an erased account', async () => {
    const erased = { ...person('patient-1', Locale.En, 'UTC', 'Martin'), erasedAt: new Date() };
    const drafts = await plannerFor(
      erased,
      person('doctor-1', Locale.De, 'Europe/Berlin', 'Weber'),
      AppointmentStatus.Confirmed,
    ).plan(
      event(EventType.AppointmentCancelled, {
        appointmentId: 'appt-1',
        cancelledBy: 'doctor-1',
        refund: true,
      }),
    );
    const doctor = drafts.find((d) => d.userId === 'doctor-1');
    expect(doctor?.content.heading).toBe('Termin mit Gelöschtes Konto abgesagt');
    expect(JSON.stringify(doctor)).not.toContain('Martin');
  });
});
