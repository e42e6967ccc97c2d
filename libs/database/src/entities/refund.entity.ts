import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { RefundStatus } from '../enums';
import { Appointment } from './appointment.entity';
import { Payment } from './payment.entity';

@Entity('refunds')
// A series payment is refunded in parts (partial refunds of its one capture): one live refund
// per (payment, appointment); a refund of several occurrences' shares at once has no single
// appointment, and payment_items.refund_id keeps each share refunded once.
@Index('refunds_one_live_per_payment', ['paymentId', 'appointmentId'], {
  unique: true,
  where: `"status" <> 'failed'`,
})
export class Refund {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  paymentId: string;

  @ManyToOne(() => Payment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payment_id' })
  payment?: Payment;

  /** The appointment whose fee this refund returns; null when it returns several series shares. */
  @Index('refunds_appointment_idx')
  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => Appointment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id' })
  appointment?: Appointment | null;

  @Column({ type: 'int' })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'enum', enum: RefundStatus, enumName: 'refund_status' })
  status: RefundStatus;

  @Column({ type: 'text', nullable: true })
  providerRefundId: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
