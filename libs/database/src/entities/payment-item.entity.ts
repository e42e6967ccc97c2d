import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Appointment } from './appointment.entity';
import { Payment } from './payment.entity';
import { Refund } from './refund.entity';

/**
 * One appointment a series payment pays for, with its share (the occurrence's fee).
 * `refund_id` names the refund that returns that share: set once, under the payment's row
 * lock, so a share is never refunded twice. Single-appointment payments have no items.
 */
@Entity('payment_items')
@Index('payment_items_appointment_idx', ['appointmentId'])
export class PaymentItem {
  @PrimaryColumn({ type: 'uuid' })
  paymentId: string;

  @ManyToOne(() => Payment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payment_id' })
  payment?: Payment;

  @PrimaryColumn({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => Appointment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id' })
  appointment?: Appointment;

  @Column({ type: 'int' })
  amountMinor: number;

  @Index('payment_items_refund_idx')
  @Column({ type: 'uuid', nullable: true })
  refundId: string | null;

  @ManyToOne(() => Refund, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'refund_id' })
  refund?: Refund | null;
}
