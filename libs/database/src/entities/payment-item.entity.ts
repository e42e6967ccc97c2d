import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Appointment } from './appointment.entity';
import { Payment } from './payment.entity';

/**
 * One appointment a series payment pays for, with its share (the occurrence's fee). Its
 * partial refund is judged and sent per item. Single-appointment payments have no items.
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
}
