import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { PaymentStatus } from '../enums';
import { Appointment } from './appointment.entity';
import { AppointmentSeries } from './appointment-series.entity';

@Entity('payments')
@Index('payments_one_open_per_appointment', ['appointmentId'], {
  unique: true,
  where: `"status" IN ('created', 'approved', 'captured')`,
})
@Index('payments_one_open_per_series', ['seriesId'], {
  unique: true,
  where: `"status" IN ('created', 'approved', 'captured')`,
})
@Check('payments_pays_for_check', '("appointment_id" IS NULL) <> ("series_id" IS NULL)')
@Index('payments_status_updated_idx', ['status', 'updatedAt'])
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The appointment paid for; null for a series payment (its appointments are its items). */
  @Index('payments_appointment_idx')
  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => Appointment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id' })
  appointment?: Appointment | null;

  /** The series paid for at once (payment_items list the occurrences and their shares). */
  @Index('payments_series_idx')
  @Column({ type: 'uuid', nullable: true })
  seriesId: string | null;

  @ManyToOne(() => AppointmentSeries, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'series_id' })
  series?: AppointmentSeries | null;

  @Column({ type: 'enum', enum: PaymentStatus, enumName: 'payment_status' })
  status: PaymentStatus;

  @Column({ type: 'int' })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text', default: 'paypal' })
  provider: string;

  @Index('payments_provider_order_key', { unique: true })
  @Column({ type: 'text', nullable: true })
  providerOrderId: string | null;

  @Column({ type: 'text', nullable: true })
  providerCaptureId: string | null;

  @Column({ type: 'text', nullable: true })
  approveUrl: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  capturedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  refundedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  failureReason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
