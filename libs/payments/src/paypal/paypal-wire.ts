import { formatMoney, Money, parseMoney } from '@app/common';
import {
  PayPalCapture,
  PayPalCaptureStatus,
  PayPalLink,
  PayPalMoney,
  PayPalOrder,
  PayPalOrderStatus,
  PayPalPurchaseUnit,
  PayPalRefundStatus,
  RefundResult,
  WebhookHeaders,
} from './paypal.types';

/** Pure translation between PayPal's snake_case JSON and our typed shapes. */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Thrown by the parsers when PayPal's answer lacks a field we rely on. */
export class UnexpectedPayPalResponse extends Error {}

function requiredString(object: JsonObject, key: string, what: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new UnexpectedPayPalResponse(`${what} has no ${key}`);
  }
  return value;
}

/** Integer minor units (storage) → PayPal's decimal string amount. */
export function toPayPalMoney(money: Money): PayPalMoney {
  const { amount, currency } = formatMoney(money);
  return { currencyCode: currency, value: amount };
}

/** PayPal's decimal string amount → integer minor units; throws RangeError if malformed. */
export function toMinorMoney(amount: PayPalMoney): Money {
  return parseMoney({ amount: amount.value, currency: amount.currencyCode });
}

export function toWireAmount(amount: PayPalMoney): { currency_code: string; value: string } {
  return { currency_code: amount.currencyCode, value: amount.value };
}

export function parseAmount(raw: unknown): PayPalMoney | undefined {
  if (!isRecord(raw)) return undefined;
  const currencyCode = optionalString(raw.currency_code);
  const value = optionalString(raw.value);
  return currencyCode && value ? { currencyCode, value } : undefined;
}

export function parseLinks(raw: unknown): PayPalLink[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((link): PayPalLink[] => {
    if (!isRecord(link)) return [];
    const href = optionalString(link.href);
    const rel = optionalString(link.rel);
    if (!href || !rel) return [];
    const method = optionalString(link.method);
    return [method ? { href, rel, method } : { href, rel }];
  });
}

/**
 * The URL the buyer visits to approve: `payer-action` when the order was created with
 * payment_source.paypal.experience_context, `approve` with the older application_context.
 */
export function findApproveUrl(links: PayPalLink[]): string | undefined {
  return (links.find((l) => l.rel === 'payer-action') ?? links.find((l) => l.rel === 'approve'))
    ?.href;
}

export function parseCapture(raw: unknown): PayPalCapture {
  if (!isRecord(raw)) throw new UnexpectedPayPalResponse('capture is not an object');
  const amount = parseAmount(raw.amount);
  if (!amount) throw new UnexpectedPayPalResponse('capture has no amount');
  const capture: PayPalCapture = {
    id: requiredString(raw, 'id', 'capture'),
    // PayPal may add statuses; they pass through rather than fail a payment.
    status: requiredString(raw, 'status', 'capture') as PayPalCaptureStatus,
    amount,
  };
  const customId = optionalString(raw.custom_id);
  if (customId) capture.customId = customId;
  const invoiceId = optionalString(raw.invoice_id);
  if (invoiceId) capture.invoiceId = invoiceId;
  if (typeof raw.final_capture === 'boolean') capture.finalCapture = raw.final_capture;
  const createTime = optionalString(raw.create_time);
  if (createTime) capture.createTime = createTime;
  return capture;
}

function parsePurchaseUnit(raw: unknown): PayPalPurchaseUnit {
  if (!isRecord(raw)) throw new UnexpectedPayPalResponse('purchase unit is not an object');
  const payments = isRecord(raw.payments) ? raw.payments : {};
  const captures = Array.isArray(payments.captures) ? payments.captures.map(parseCapture) : [];
  const unit: PayPalPurchaseUnit = { captures };
  const referenceId = optionalString(raw.reference_id);
  if (referenceId) unit.referenceId = referenceId;
  const customId = optionalString(raw.custom_id);
  if (customId) unit.customId = customId;
  const invoiceId = optionalString(raw.invoice_id);
  if (invoiceId) unit.invoiceId = invoiceId;
  const amount = parseAmount(raw.amount);
  if (amount) unit.amount = amount;
  return unit;
}

export function parseOrder(raw: unknown): PayPalOrder {
  if (!isRecord(raw)) throw new UnexpectedPayPalResponse('order is not an object');
  const order: PayPalOrder = {
    id: requiredString(raw, 'id', 'order'),
    status: requiredString(raw, 'status', 'order') as PayPalOrderStatus,
    purchaseUnits: Array.isArray(raw.purchase_units)
      ? raw.purchase_units.map(parsePurchaseUnit)
      : [],
    links: parseLinks(raw.links),
  };
  const intent = optionalString(raw.intent);
  if (intent) order.intent = intent;
  const payerId = isRecord(raw.payer) ? optionalString(raw.payer.payer_id) : undefined;
  if (payerId) order.payerId = payerId;
  const createTime = optionalString(raw.create_time);
  if (createTime) order.createTime = createTime;
  const updateTime = optionalString(raw.update_time);
  if (updateTime) order.updateTime = updateTime;
  return order;
}

export function parseRefund(raw: unknown): RefundResult {
  if (!isRecord(raw)) throw new UnexpectedPayPalResponse('refund is not an object');
  const refund: RefundResult = {
    refundId: requiredString(raw, 'id', 'refund'),
    status: requiredString(raw, 'status', 'refund') as PayPalRefundStatus,
  };
  const amount = parseAmount(raw.amount);
  if (amount) refund.amount = amount;
  return refund;
}

const SETTLED_CAPTURE: ReadonlySet<string> = new Set([
  PayPalCaptureStatus.COMPLETED,
  PayPalCaptureStatus.PENDING,
  PayPalCaptureStatus.PARTIALLY_REFUNDED,
  PayPalCaptureStatus.REFUNDED,
]);

/** The capture that moved money, if any; otherwise the latest attempt (e.g. DECLINED). */
export function selectCapture(order: PayPalOrder): PayPalCapture | undefined {
  const captures = order.purchaseUnits.flatMap((unit) => unit.captures);
  return captures.find((c) => SETTLED_CAPTURE.has(c.status)) ?? captures[captures.length - 1];
}

export interface PayPalErrorInfo {
  name?: string;
  issue?: string;
  debugId?: string;
}

/**
 * Reads PayPal's error body: `{ name, message, debug_id, details: [{ issue }] }` on the REST
 * APIs, `{ error, error_description }` on the OAuth2 token endpoint.
 */
export function parsePayPalError(body: unknown, debugIdHeader?: string | null): PayPalErrorInfo {
  const info: PayPalErrorInfo = {};
  const debugId = debugIdHeader || undefined;
  if (debugId) info.debugId = debugId;
  if (!isRecord(body)) return info;
  const name = optionalString(body.name) ?? optionalString(body.error);
  if (name) info.name = name;
  const bodyDebugId = optionalString(body.debug_id);
  if (bodyDebugId) info.debugId = bodyDebugId;
  if (Array.isArray(body.details)) {
    const issue = body.details
      .map((detail) => (isRecord(detail) ? optionalString(detail.issue) : undefined))
      .find((value) => value !== undefined);
    if (issue) info.issue = issue;
  }
  return info;
}

/** The PAYPAL-* transmission headers PayPal signs each webhook delivery with. */
export interface WebhookTransmission {
  authAlgo: string;
  certUrl: string;
  transmissionId: string;
  transmissionSig: string;
  transmissionTime: string;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const single = Array.isArray(value) ? value[0] : value;
    return optionalString(single?.trim());
  }
  return undefined;
}

/** The transmission headers, or undefined when any is missing or empty. */
export function readWebhookTransmission(headers: WebhookHeaders): WebhookTransmission | undefined {
  const authAlgo = header(headers, 'paypal-auth-algo');
  const certUrl = header(headers, 'paypal-cert-url');
  const transmissionId = header(headers, 'paypal-transmission-id');
  const transmissionSig = header(headers, 'paypal-transmission-sig');
  const transmissionTime = header(headers, 'paypal-transmission-time');
  if (!authAlgo || !certUrl || !transmissionId || !transmissionSig || !transmissionTime) {
    return undefined;
  }
  return { authAlgo, certUrl, transmissionId, transmissionSig, transmissionTime };
}

/**
 * Body of POST /v1/notifications/verify-webhook-signature. The event goes in as the raw
 * bytes PayPal sent, not re-serialized, so the CRC32 PayPal checks covers exactly them.
 * `rawEvent` must already be known to be a JSON object.
 */
export function verifyWebhookRequestBody(
  transmission: WebhookTransmission,
  webhookId: string,
  rawEvent: string,
): string {
  const head = JSON.stringify({
    auth_algo: transmission.authAlgo,
    cert_url: transmission.certUrl,
    transmission_id: transmission.transmissionId,
    transmission_sig: transmission.transmissionSig,
    transmission_time: transmission.transmissionTime,
    webhook_id: webhookId,
  });
  return `${head.slice(0, -1)},"webhook_event":${rawEvent.trim()}}`;
}
