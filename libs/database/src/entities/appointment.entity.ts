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
import { User } from './user.entity';

const LIVE = `"status" IN ('pending_payment', 'confirmed')`;

/** The database itself makes a double booking impossible: see the two exclusions. */
@Entity('appointments')
@Check('appointments_range_check', '"ends_at" > "starts_at"')
@Check('appointments_fee_check', '"fee_minor" >= 0')
@Exclusion(
  'appointments_doctor_no_overlap',
  `USING gist ("doctor_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE (${LIVE})`,
)
@Exclusion(
  'appointments_patient_no_overlap',
  `USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE (${LIVE})`,
)
@Index('appointments_doctor_starts_idx', ['doctorId', 'startsAt'])
@Index('appointments_patient_starts_idx', ['patientId', 'startsAt'])
@Index('appointments_hold_expiry_idx', ['holdExpiresAt'], { where: `"status" = 'pending_payment'` })
@Index('appointments_starts_idx', ['startsAt'])
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

  @Column({ type: 'enum', enum: AppointmentStatus, enumName: 'appointment_status' })
  status: AppointmentStatus;

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
