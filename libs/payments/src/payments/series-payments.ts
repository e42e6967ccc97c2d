import type { EntityManager } from 'typeorm';
import { Appointment, PaymentItem } from '@app/database';
import { payableOccurrences } from './series-payment-settlement';

/** The appointments a series payment covers that can still take it (read, not locked). */
export async function coveredPayable(
  manager: EntityManager,
  paymentId: string,
): Promise<Appointment[]> {
  const items = await manager
    .getRepository(PaymentItem)
    .find({ where: { paymentId }, relations: { appointment: true } });
  return payableOccurrences(items.flatMap((item) => (item.appointment ? [item.appointment] : [])));
}
