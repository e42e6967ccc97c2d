import { formatMoney, type MoneyDto } from '@app/common';
import type { Payment, PaymentStatus } from '@app/database';

/** A payment as `GET /payments/:id` answers it: the API and webhooks both show this. */
export interface PaymentView {
  id: string;
  /** Null for a series payment (see `seriesId`). */
  appointmentId: string | null;
  seriesId: string | null;
  status: PaymentStatus;
  amount: MoneyDto;
  providerOrderId: string | null;
  approveUrl: string | null;
  capturedAt: string | null;
  refundedAt: string | null;
}

export function toPaymentView(p: Payment): PaymentView {
  return {
    id: p.id,
    appointmentId: p.appointmentId,
    seriesId: p.seriesId,
    status: p.status,
    amount: formatMoney({ minor: p.amountMinor, currency: p.currency }),
    providerOrderId: p.providerOrderId,
    approveUrl: p.approveUrl,
    capturedAt: p.capturedAt?.toISOString() ?? null,
    refundedAt: p.refundedAt?.toISOString() ?? null,
  };
}
