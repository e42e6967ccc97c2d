import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { AppointmentStatus } from '../enums';
import { Appointment } from './appointment.entity';

/** Append-only history of every status transition: who, when and why. */
@Entity('appointment_status_history')
export class AppointmentStatusChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('appointment_status_history_appointment_idx')
  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => Appointment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id' })
  appointment?: Appointment;

  @Column({ type: 'enum', enum: AppointmentStatus, enumName: 'appointment_status', nullable: true })
  fromStatus: AppointmentStatus | null;

  @Column({ type: 'enum', enum: AppointmentStatus, enumName: 'appointment_status' })
  toStatus: AppointmentStatus;

  /** Null when the system made the change (hold expiry, payment capture). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
