import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Appointment } from './appointment.entity';
import { User } from './user.entity';
import { VisitType } from './visit-type.entity';

/**
 * A course of visits booked at once ("every Tuesday at 09:00 for 8 weeks"). Each occurrence
 * is an ordinary appointment with `series_id` set; the series' status is derived from them.
 */
@Entity('appointment_series')
@Check('appointment_series_repeat_every_check', '"repeat_every" BETWEEN 1 AND 4')
@Check('appointment_series_repeat_unit_check', `"repeat_unit" = 'week'`)
@Check('appointment_series_count_check', '"count" BETWEEN 2 AND 26')
@Index('appointment_series_patient_idx', ['patientId', 'createdAt'])
@Index('appointment_series_doctor_idx', ['doctorId', 'createdAt'])
export class AppointmentSeries {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  doctorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'doctor_id' })
  doctor?: User;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id' })
  patient?: User;

  @Column({ type: 'uuid' })
  visitTypeId: string;

  @ManyToOne(() => VisitType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'visit_type_id' })
  visitType?: VisitType;

  @Column({ type: 'int' })
  repeatEvery: number;

  @Column({ type: 'text', default: 'week' })
  repeatUnit: 'week';

  @Column({ type: 'int' })
  count: number;

  /** The doctor's zone the wall-clock time was kept in when the series was booked. */
  @Column({ type: 'text' })
  timezone: string;

  @OneToMany('Appointment', 'series')
  appointments?: Appointment[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
