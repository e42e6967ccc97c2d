import type { EntityManager } from 'typeorm';
import { lockAppointment } from '@app/booking';
import { Appointment, Payment } from '@app/database';
import { PaymentNotFoundError } from './payment.errors';

export interface LockedPayment {
  payment: Payment;
  appointment: Appointment;
}

/**
 * Row-locks a payment and the appointment it pays for (SELECT … FOR UPDATE), appointment
 * first (through booking) as cancel and reschedule do, so concurrent changes queue up instead of deadlocking.
 */
export async function lockPayment(
  manager: EntityManager,
  paymentId: string,
): Promise<LockedPayment> {
  const payments = manager.getRepository(Payment);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const seen = await payments.findOne({ where: { id: paymentId } });
    if (!seen) throw new PaymentNotFoundError();
    // A series payment covers several appointments: lockSeriesPayment locks them all.
    if (!seen.appointmentId) throw new Error(`Payment ${paymentId} pays for a series`);
    const appointment = await lockAppointment(manager, { id: seen.appointmentId });
    const payment = await payments.findOneOrFail({
      where: { id: paymentId },
      lock: { mode: 'pessimistic_write' },
    });
    // A reschedule may have moved the payment to the new appointment meanwhile.
    if (payment.appointmentId === appointment.id) return { payment, appointment };
  }
  throw new Error(`Payment ${paymentId} kept moving between appointments`);
}
