import { isUuid } from '@app/common';
import { isRecord, JsonObject, parseAmount } from '../paypal/paypal-wire';
import { PayPalMoney, PayPalWebhookEventType } from '../paypal';

const CAPTURE_HREF = /\/v2\/payments\/captures\/([^/?#]+)/;

/** The fields of a webhook delivery stored in the inbox. */
export interface WebhookEnvelope {
  id: string;
  eventType: string;
  resourceId: string | null;
  resource: JsonObject;
}

/** Our ids PayPal echoes back; any of them finds the payment. */
export interface PaymentRef {
  /** custom_id: the payment id we gave the order. */
  paymentId?: string;
  orderId?: string;
  captureId?: string;
}

export type WebhookAction =
  | { kind: 'approved'; ref: PaymentRef }
  | {
      kind: 'captured';
      ref: PaymentRef;
      captureId: string;
      captureStatus: string;
      amount?: PayPalMoney;
    }
  | { kind: 'denied'; ref: PaymentRef; captureId: string }
  | { kind: 'refunded'; ref: PaymentRef; providerRefundId: string; amount?: PayPalMoney }
  | { kind: 'ignored'; reason: string };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function paymentIdOf(value: unknown): string | undefined {
  const id = text(value);
  return id && isUuid(id) ? id.toLowerCase() : undefined;
}

/** The event's id, type and resource, or null when the body is not a PayPal event. */
export function parseWebhookEnvelope(raw: string | Buffer): WebhookEnvelope | null {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw) as unknown;
  } catch {
    return null;
  }
  if (!isRecord(body)) return null;
  const id = text(body.id);
  const eventType = text(body.event_type);
  if (!id || !eventType) return null;
  const resource = isRecord(body.resource) ? body.resource : {};
  return { id, eventType, resourceId: text(resource.id) ?? null, resource };
}

/** What an event asks of our records; pure, so every event type is unit-tested. */
export function webhookAction(eventType: string, resource: JsonObject): WebhookAction {
  const id = text(resource.id);
  if (!id) return { kind: 'ignored', reason: 'the event resource has no id' };
  switch (eventType) {
    case PayPalWebhookEventType.CHECKOUT_ORDER_APPROVED: {
      const units = Array.isArray(resource.purchase_units) ? resource.purchase_units : [];
      const unit: unknown = units[0];
      return {
        kind: 'approved',
        ref: { orderId: id, paymentId: paymentIdOf(isRecord(unit) ? unit.custom_id : undefined) },
      };
    }
    case PayPalWebhookEventType.PAYMENT_CAPTURE_COMPLETED:
      return {
        kind: 'captured',
        ref: captureRef(resource, id),
        captureId: id,
        captureStatus: text(resource.status) ?? 'COMPLETED',
        amount: parseAmount(resource.amount),
      };
    case PayPalWebhookEventType.PAYMENT_CAPTURE_DENIED:
      return { kind: 'denied', ref: captureRef(resource, id), captureId: id };
    case PayPalWebhookEventType.PAYMENT_CAPTURE_REFUNDED:
      return {
        kind: 'refunded',
        ref: { paymentId: paymentIdOf(resource.custom_id), captureId: refundedCaptureId(resource) },
        providerRefundId: id,
        amount: parseAmount(resource.amount),
      };
    default:
      return { kind: 'ignored', reason: `${eventType} is not handled` };
  }
}

function captureRef(resource: JsonObject, captureId: string): PaymentRef {
  const supplementary = isRecord(resource.supplementary_data) ? resource.supplementary_data : {};
  const related = isRecord(supplementary.related_ids) ? supplementary.related_ids : {};
  return { paymentId: paymentIdOf(resource.custom_id), orderId: text(related.order_id), captureId };
}

/** A refund links `up` to the capture it returned. */
function refundedCaptureId(resource: JsonObject): string | undefined {
  const links = Array.isArray(resource.links) ? resource.links : [];
  for (const link of links) {
    if (!isRecord(link) || link.rel !== 'up') continue;
    const match = CAPTURE_HREF.exec(text(link.href) ?? '');
    if (match) return decodeURIComponent(match[1]);
  }
  return undefined;
}
