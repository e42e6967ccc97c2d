import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentQueries, rescheduleChain } from '@app/booking';
import { AppConfig } from '@app/config';
import { Appointment, DoctorProfile, User } from '@app/database';
import type { NotificationDraft } from '../message';

export type Person = Pick<User, 'id' | 'email' | 'firstName' | 'lastName' | 'timezone'>;
export interface AppointmentView {
  appointment: Appointment;
  patient: Person;
  doctor: Person;
  doctorZone: string;
}

export const BOTH: NotificationDraft['channels'] = ['email', 'in_app'];
export const name = (p: Person) => `${p.firstName} ${p.lastName}`;
export const doctorName = (p: Person) => `Dr. ${p.lastName}`;

/** What the message writers read: people, appointments, links. */
@Injectable()
export class NotificationReads {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    readonly config: AppConfig,
    private readonly appointments: AppointmentQueries,
  ) {}

  appointmentLink(appointmentId: string) {
    return {
      label: 'View appointment',
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
   * The id a calendar invite's UID is built from: the first appointment of the reschedule
   * chain, so every update and the final CANCEL address the entry the first invite created.
   */
  async calendarEventId(appointment: Appointment): Promise<string> {
    if (!appointment.rescheduledFromId) return appointment.id;
    const [first] = await rescheduleChain(this.db, appointment.id);
    return first?.id ?? appointment.id;
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
      select: { id: true, email: true, firstName: true, lastName: true, timezone: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
