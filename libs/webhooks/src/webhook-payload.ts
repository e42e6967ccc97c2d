import type { AppointmentView } from '@app/booking';
import type { PaymentView } from '@app/payments';

/** Fields that are health data (SPEC: answers and reasons): never in a webhook body. */
const HEALTH_FIELDS = ['reason', 'cancellationReason', 'answers'] as const;

export type WebhookAppointment = Omit<AppointmentView, (typeof HEALTH_FIELDS)[number]>;

export interface WebhookBody {
  type: string;
  /** When the event happened, ISO 8601. */
  timestamp: string;
  data: WebhookAppointment | PaymentView | Record<string, unknown>;
}

/**
 * The one place a webhook body is built: the resource as GET answers it to the doctor,
 * minus health data. Fields added to the views later are stripped here too if listed above.
 */
export function webhookBody(
  type: string,
  at: Date,
  resource: AppointmentView | PaymentView | Record<string, unknown>,
): WebhookBody {
  const data: Record<string, unknown> = { ...resource };
  for (const field of HEALTH_FIELDS) delete data[field];
  return { type, timestamp: at.toISOString(), data };
}
