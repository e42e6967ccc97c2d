import type { EntityManager } from 'typeorm';

/**
 * What booking asks of payments, answered by the payments lib inside the caller's
 * transaction: booking never reads or writes payment tables itself.
 */
export abstract class AppointmentPayments {
  /** Whether the appointment's fee was captured, so that a cancellation may owe it back. */
  abstract isPaid(manager: EntityManager, appointmentId: string): Promise<boolean>;
  /** Opens the full refund of the appointment's captured payment (once) with its refund job. */
  abstract refund(manager: EntityManager, appointmentId: string, reason: string): Promise<void>;
  /**
   * Opens one refund of the shares of several occurrences paid together (a series cancel),
   * each share at most once, in the caller's transaction.
   */
  abstract refundShares(
    manager: EntityManager,
    appointmentIds: string[],
    reason: string,
  ): Promise<void>;
  /** The payments follow the appointment that replaces this one (a reschedule). */
  abstract move(
    manager: EntityManager,
    fromAppointmentId: string,
    toAppointmentId: string,
  ): Promise<void>;
}
