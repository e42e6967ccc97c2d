import {
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

@Entity('payments')
@Index('payments_one_open_per_appointment', ['appointmentId'], {
  unique: true,
  where: `"status" IN ('created', 'approved', 'captured')`,
})
@Index('payments_status_updated_idx', ['status', 'updatedAt'])
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('payments_appointment_idx')
  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => Appointment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id' })
  appointment?: Appointment;

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
