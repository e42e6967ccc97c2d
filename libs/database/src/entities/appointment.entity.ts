import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { AppointmentStatus } from '../enums';
import { AppointmentSeries } from './appointment-series.entity';
import { User } from './user.entity';
import { VisitType } from './visit-type.entity';

const LIVE = `"status" IN ('pending_approval', 'pending_payment', 'confirmed')`;

/** An intake answer as given at booking, with the question's label of that moment. */
export interface IntakeAnswer {
  key: string;
  label: string;
  value: string | boolean | string[];
}

/**
 * The database itself makes a double booking impossible: see the two exclusions. The
 * doctor's is over the blocked range (the visit with its buffers), the patient's over the visit.
 */
@Entity('appointments')
@Check('appointments_range_check', '"ends_at" > "starts_at"')
@Check('appointments_fee_check', '"fee_minor" >= 0')
@Check(
  'appointments_blocked_range_check',
  '"blocked_from" <= "starts_at" AND "blocked_to" >= "ends_at"',
)
@Exclusion(
  'appointments_doctor_no_overlap',
  `USING gist ("doctor_id" WITH =, tstzrange("blocked_from", "blocked_to") WITH &&) WHERE (${LIVE})`,
)
@Exclusion(
  'appointments_patient_no_overlap',
  `USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE (${LIVE})`,
)
@Index('appointments_doctor_starts_idx', ['doctorId', 'startsAt'])
@Index('appointments_patient_starts_idx', ['patientId', 'startsAt'])
@Index('appointments_hold_expiry_idx', ['holdExpiresAt'], { where: `"status" = 'pending_payment'` })
@Index('appointments_starts_idx', ['startsAt'])
@Index('appointments_approval_deadline_idx', ['approvalDeadlineAt'], {
  where: `"status" = 'pending_approval'`,
})
export class Appointment {
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

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  /** Start of the visit minus the type's buffer before: what the doctor's time is kept for. */
  @Column({ type: 'timestamptz' })
  blockedFrom: Date;

  /** End of the visit plus the type's buffer after. */
  @Column({ type: 'timestamptz' })
  blockedTo: Date;

  @Index('appointments_visit_type_idx')
  @Column({ type: 'uuid' })
  visitTypeId: string;

  @ManyToOne(() => VisitType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'visit_type_id' })
  visitType?: VisitType;

  @Column({ type: 'enum', enum: AppointmentStatus, enumName: 'appointment_status' })
  status: AppointmentStatus;

  /** Health data: shown to the patient, the doctor and admins only. */
  @Column({ type: 'jsonb', nullable: true })
  answers: IntakeAnswer[] | null;

  /** The visit type's cutoff when booked: later changes of the type do not apply. */
  @Column({ type: 'int', default: 0 })
  changeCutoffHours: number;

  @Column({ type: 'timestamptz', nullable: true })
  approvalDeadlineAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  declinedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  declineReason: string | null;

  /** The recurring series this appointment belongs to, if any. */
  @Index('appointments_series_idx')
  @Column({ type: 'uuid', nullable: true })
  seriesId: string | null;

  @ManyToOne(() => AppointmentSeries, (series) => series.appointments, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'series_id' })
  series?: AppointmentSeries | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Fee snapshot at booking time, in minor units. */
  @Column({ type: 'int' })
  feeMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'timestamptz', nullable: true })
  holdExpiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  cancelledBy: string | null;

  @Column({ type: 'text', nullable: true })
  cancellationReason: string | null;

  @Index('appointments_rescheduled_from_idx')
  @Column({ type: 'uuid', nullable: true })
  rescheduledFromId: string | null;

  @ManyToOne(() => Appointment, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'rescheduled_from_id' })
  rescheduledFrom?: Appointment | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
