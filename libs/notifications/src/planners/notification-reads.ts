import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentQueries, calendarSequence, rescheduleChain } from '@app/booking';
import { AppConfig } from '@app/config';
import { Appointment, AppointmentStatus, DoctorProfile, User } from '@app/database';
import { type Messages, Translator } from '../i18n/translator';
import type { NotificationDraft } from '../message';

export type Person = Pick<
  User,
  'id' | 'email' | 'firstName' | 'lastName' | 'timezone' | 'locale' | 'erasedAt'
>;
export interface AppointmentView {
  appointment: Appointment;
  patient: Person;
  doctor: Person;
  doctorZone: string;
}

/** Which calendar entry an invitation updates, and how many changes it has seen. */
export interface CalendarEvent {
  id: string;
  sequence: number;
}

export const BOTH: NotificationDraft['channels'] = ['email', 'in_app'];
export const name = (p: Pick<Person, 'firstName' | 'lastName'>) => `${p.firstName} ${p.lastName}`;
/** Someone as a reader of `m` is told about them; an erased account is not named. */
export const personName = (m: Messages, p: Person) =>
  p.erasedAt ? m.t('common.erasedName') : name(p);
export const doctorName = (m: Messages, p: Person) =>
  p.erasedAt ? m.t('common.erasedName') : m.t('common.doctorName', { lastName: p.lastName });

/** The reader's own zone, or `fallback` (the doctor's) when theirs is not a usable IANA zone. */
export function zoneOf(person: Person, fallback: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: person.timezone });
    return person.timezone;
  } catch {
    return fallback;
  }
}

/** What the message writers read: people, appointments, links. */
@Injectable()
export class NotificationReads {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    readonly config: AppConfig,
    private readonly appointments: AppointmentQueries,
    private readonly translator: Translator,
  ) {}

  /** The reader's language and formats. */
  messagesFor(person: { locale?: string | null }): Messages {
    return this.translator.for(person.locale);
  }

  appointmentLink(m: Messages, appointmentId: string) {
    return {
      label: m.t('common.viewAppointment'),
      url: `${this.config.frontendUrl}/appointments/${appointmentId}`,
    };
  }

  async appointmentView(appointmentId: string): Promise<AppointmentView | null> {
    const appointment = await this.appointments.find(appointmentId);
    if (!appointment) return null;
    const people = await this.people([appointment.patientId, appointment.doctorId]);
    const profile = await this.db
      .getRepository(DoctorProfile)
      .findOne({ where: { userId: appointment.doctorId } });
    const patient = people.get(appointment.patientId);
    const doctor = people.get(appointment.doctorId);
    if (!patient || !doctor) return null;
    return { appointment, patient, doctor, doctorZone: profile?.timezone ?? doctor.timezone };
  }

  /**
   * The calendar entry of an appointment as of its arrival at `through` (`null`: its creation
   * by a reschedule). The id is the reschedule chain's first appointment, so every update and
   * the final CANCEL address the entry the first invite created; the sequence counts the
   * chain's status changes (calendarSequence), so each invite supersedes the one before.
   */
  async calendarEvent(
    appointment: Appointment,
    through: AppointmentStatus | null,
  ): Promise<CalendarEvent> {
    const [chain, sequence] = await Promise.all([
      appointment.rescheduledFromId
        ? rescheduleChain(this.db, appointment.id)
        : [{ id: appointment.id }],
      calendarSequence(this.db, appointment.id, through),
    ]);
    return { id: chain[0]?.id ?? appointment.id, sequence };
  }

  appointment(id: string): Promise<Appointment | null> {
    return this.appointments.find(id);
  }

  async person(id: string): Promise<Person | null> {
    return (await this.people([id])).get(id) ?? null;
  }

  async people(ids: string[]): Promise<Map<string, Person>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.getRepository(User).find({
      where: ids.map((id) => ({ id })),
      select: {
        id: true,
        email: true,
        firstName: true,
        lastName: true,
        timezone: true,
        locale: true,
        erasedAt: true,
      },
    });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
