/** Order statuses of PayPal Orders v2. */
export const PayPalOrderStatus = {
  CREATED: 'CREATED',
  SAVED: 'SAVED',
  APPROVED: 'APPROVED',
  VOIDED: 'VOIDED',
  COMPLETED: 'COMPLETED',
  PAYER_ACTION_REQUIRED: 'PAYER_ACTION_REQUIRED',
} as const;
export type PayPalOrderStatus = (typeof PayPalOrderStatus)[keyof typeof PayPalOrderStatus];

/** Statuses of a captured payment (Payments v2 / purchase_units[].payments.captures[]). */
export const PayPalCaptureStatus = {
  COMPLETED: 'COMPLETED',
  DECLINED: 'DECLINED',
  PARTIALLY_REFUNDED: 'PARTIALLY_REFUNDED',
  PENDING: 'PENDING',
  REFUNDED: 'REFUNDED',
  FAILED: 'FAILED',
} as const;
export type PayPalCaptureStatus = (typeof PayPalCaptureStatus)[keyof typeof PayPalCaptureStatus];

/** Statuses of a refund (Payments v2). */
export const PayPalRefundStatus = {
  CANCELLED: 'CANCELLED',
  FAILED: 'FAILED',
  PENDING: 'PENDING',
  COMPLETED: 'COMPLETED',
} as const;
export type PayPalRefundStatus = (typeof PayPalRefundStatus)[keyof typeof PayPalRefundStatus];

/** Webhook event types the payment flow handles. */
export const PayPalWebhookEventType = {
  CHECKOUT_ORDER_APPROVED: 'CHECKOUT.ORDER.APPROVED',
  PAYMENT_CAPTURE_COMPLETED: 'PAYMENT.CAPTURE.COMPLETED',
  PAYMENT_CAPTURE_DENIED: 'PAYMENT.CAPTURE.DENIED',
  PAYMENT_CAPTURE_REFUNDED: 'PAYMENT.CAPTURE.REFUNDED',
} as const;
export type PayPalWebhookEventType =
  (typeof PayPalWebhookEventType)[keyof typeof PayPalWebhookEventType];

/** An amount as PayPal takes it: ISO 4217 code and a decimal string ("45.00"). */
export interface PayPalMoney {
  currencyCode: string;
  value: string;
}

export interface PayPalLink {
  href: string;
  rel: string;
  method?: string;
}

export interface CreateOrderInput {
  /** Sent as PayPal-Request-Id: the same id never creates a second order. */
  requestId: string;
  amount: PayPalMoney;
  /** Our payment id, echoed back on captures and webhooks. */
  customId: string;
  invoiceId?: string;
  description?: string;
  returnUrl: string;
  cancelUrl: string;
  /** Shown on the PayPal page instead of the merchant account's name. */
  brandName?: string;
}

export interface CreatedOrder {
  id: string;
  status: PayPalOrderStatus;
  approveUrl: string;
}

export interface PayPalCapture {
  id: string;
  status: PayPalCaptureStatus;
  amount: PayPalMoney;
  customId?: string;
  invoiceId?: string;
  finalCapture?: boolean;
  createTime?: string;
}

export interface PayPalPurchaseUnit {
  referenceId?: string;
  customId?: string;
  invoiceId?: string;
  amount?: PayPalMoney;
  captures: PayPalCapture[];
}

export interface PayPalOrder {
  id: string;
  status: PayPalOrderStatus;
  intent?: string;
  purchaseUnits: PayPalPurchaseUnit[];
  payerId?: string;
  createTime?: string;
  updateTime?: string;
  links: PayPalLink[];
}

export interface CaptureResult {
  orderStatus: PayPalOrderStatus;
  captureId: string;
  captureStatus: PayPalCaptureStatus;
  amount: PayPalMoney;
  customId?: string;
  /** True when PayPal answered ORDER_ALREADY_CAPTURED and the result was re-read from the order. */
  alreadyCaptured: boolean;
}

export interface RefundResult {
  refundId: string;
  status: PayPalRefundStatus;
  amount?: PayPalMoney;
}

/** Incoming request headers, as Node and Fastify give them (lower-case names). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;
