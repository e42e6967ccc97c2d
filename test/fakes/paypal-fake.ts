import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { formatMoney, parseMoney } from '@app/common';

/**
 * A PayPal REST API for tests and local development: a real HTTP server speaking the JSON of
 * OAuth2 (client credentials), Orders v2, Payments v2 refunds and webhook signature
 * verification, with buyer approval by visiting the order's payer-action link.
 */

export type FakeOperation =
  | 'token'
  | 'createOrder'
  | 'getOrder'
  | 'capture'
  | 'refund'
  | 'getCapture'
  | 'getRefund'
  | 'verifyWebhook'
  | 'checkout';

export interface FakePayPalOptions {
  port?: number;
  host?: string;
  /** Base of the links the fake hands out (approve links in a browser); defaults to its own URL. */
  publicUrl?: string;
  clientId?: string;
  clientSecret?: string;
  webhookId?: string;
  /** Secret of the fake's webhook signatures (real PayPal signs with RSA). */
  webhookSecret?: string;
  tokenExpiresInSeconds?: number;
  /** When set, the fake delivers webhook events there after approvals, captures and refunds. */
  webhookUrl?: string;
}

export interface FailureSpec {
  /** Answer with this status and a PayPal error body; without it the call proceeds after the delay. */
  status?: number;
  /** How many calls fail; every call until reset() when omitted. */
  times?: number;
  /** Wait this long before answering (use it beyond a client timeout to simulate a slow PayPal). */
  delayMs?: number;
  /** details[0].issue of the error body. */
  issue?: string;
}

export interface RecordedRequest {
  operation: FakeOperation;
  method: string;
  path: string;
  headers: Record<string, string>;
  requestId?: string;
  body: unknown;
}

export interface SignedWebhook {
  headers: Record<string, string>;
  body: string;
}

export interface WebhookEvent {
  id: string;
  event_version: string;
  create_time: string;
  resource_type: string;
  resource_version: string;
  event_type: string;
  summary: string;
  resource: Record<string, unknown>;
  links: Array<{ href: string; rel: string; method: string }>;
}

/** Which PayPal object an event is about; `resource` is sent as given. */
export interface WebhookSource {
  orderId?: string;
  captureId?: string;
  refundId?: string;
  resource?: Record<string, unknown>;
  /** PAYMENT.CAPTURE.REFUNDED: refund this much (minor units) instead of what remains. */
  refundMinor?: number;
}

export interface WebhookDelivery {
  event: WebhookEvent;
  status: number;
  body: string;
}

type DenyMode = 'declined' | 'instrument-declined';

export interface Amount {
  currency: string;
  minor: number;
}

interface StoredOrder {
  id: string;
  intent: string;
  status: string;
  usesPaymentSource: boolean;
  referenceId: string;
  amount: Amount;
  description?: string;
  customId?: string;
  invoiceId?: string;
  returnUrl?: string;
  cancelUrl?: string;
  payer?: { payerId: string; email: string; givenName: string; surname: string };
  createTime: string;
  updateTime: string;
  captureIds: string[];
}

interface StoredCapture {
  id: string;
  orderId: string;
  status: string;
  amount: Amount;
  customId?: string;
  invoiceId?: string;
  createTime: string;
  updateTime: string;
  refundIds: string[];
}

interface StoredRefund {
  id: string;
  captureId: string;
  status: string;
  amount: Amount;
  noteToPayer?: string;
  createTime: string;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type JsonObject = Record<string, unknown>;

const CERT_PATH = '/v1/notifications/certs/CERT-360caa42-fca2a594-fake';
const AUTH_ALGO = 'SHA256withRSA';
const MERCHANT = { email_address: 'merchant@fake-paypal.test', merchant_id: 'FAKEMERCHANT0001' };

const ERROR_NAMES: Record<number, string> = {
  400: 'INVALID_REQUEST',
  401: 'AUTHENTICATION_FAILURE',
  403: 'NOT_AUTHORIZED',
  404: 'RESOURCE_NOT_FOUND',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMIT_REACHED',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

const ERROR_MESSAGES: Record<string, string> = {
  INVALID_REQUEST: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  AUTHENTICATION_FAILURE:
    'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
  NOT_AUTHORIZED: 'Authorization failed due to insufficient permissions.',
  RESOURCE_NOT_FOUND: 'The specified resource does not exist.',
  UNSUPPORTED_MEDIA_TYPE: 'The server does not support the request payload media type.',
  UNPROCESSABLE_ENTITY:
    'The requested action could not be performed, semantically incorrect, or failed business validation.',
  RATE_LIMIT_REACHED: 'Too many requests. Blocked due to rate limiting.',
  INTERNAL_SERVER_ERROR: 'An internal server error has occurred.',
  SERVICE_UNAVAILABLE: 'Service Unavailable.',
};

const ISSUE_DESCRIPTIONS: Record<string, string> = {
  ORDER_ALREADY_CAPTURED:
    "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  ORDER_NOT_APPROVED:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  INVALID_RESOURCE_ID:
    'Specified resource ID does not exist. Please check the resource ID and try again.',
  CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded',
  REFUND_AMOUNT_EXCEEDED:
    'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
  REFUND_NOT_ALLOWED: 'Capture cannot be refunded.',
};

const ROUTES: ReadonlyArray<[string, RegExp, FakeOperation]> = [
  ['POST', /^\/v1\/oauth2\/token$/, 'token'],
  ['POST', /^\/v2\/checkout\/orders$/, 'createOrder'],
  ['GET', /^\/v2\/checkout\/orders\/([^/]+)$/, 'getOrder'],
  ['POST', /^\/v2\/checkout\/orders\/([^/]+)\/capture$/, 'capture'],
  ['POST', /^\/v2\/payments\/captures\/([^/]+)\/refund$/, 'refund'],
  ['GET', /^\/v2\/payments\/captures\/([^/]+)$/, 'getCapture'],
  ['GET', /^\/v2\/payments\/refunds\/([^/]+)$/, 'getRefund'],
  ['POST', /^\/v1\/notifications\/verify-webhook-signature$/, 'verifyWebhook'],
  ['GET', /^\/checkoutnow$/, 'checkout'],
];

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomId(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function wireAmount(amount: Amount): { currency_code: string; value: string } {
  const { amount: value, currency } = formatMoney(amount);
  return { currency_code: currency, value };
}

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

class BadRequest extends Error {
  constructor(readonly reply: Reply) {
    super('bad request');
  }
}

export class FakePayPal {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookId: string;
  private readonly webhookSecret: string;
  private readonly tokenExpiresIn: number;
  private webhookUrl?: string;
  private baseUrl = '';
  private publicBase = '';

  private readonly tokens = new Set<string>();
  private readonly orders = new Map<string, StoredOrder>();
  private readonly captureStore = new Map<string, StoredCapture>();
  private readonly refundStore = new Map<string, StoredRefund>();
  private readonly idempotent = new Map<string, Reply>();
  private readonly failures = new Map<FakeOperation, FailureSpec & { remaining: number }>();
  private readonly counters = new Map<FakeOperation, number>();
  private readonly recorded: RecordedRequest[] = [];
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: (done: boolean) => void }>();
  private readonly pendingDeliveries = new Set<Promise<void>>();
  private readonly delivered: WebhookDelivery[] = [];
  private downMode: 'unavailable' | 'reset' | null = null;
  private readonly paused = new Map<FakeOperation, Array<() => void>>();
  private denyMode: DenyMode | null = null;
  private nextCaptureAmount: Amount | null = null;
  private closing = false;

  private constructor(
    private readonly server: Server,
    options: FakePayPalOptions,
  ) {
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.webhookId = options.webhookId ?? 'FAKEWEBHOOK0001';
    this.webhookSecret = options.webhookSecret ?? randomBytes(32).toString('hex');
    this.tokenExpiresIn = options.tokenExpiresInSeconds ?? 32400;
    this.webhookUrl = options.webhookUrl;
  }

  /** Starts listening (127.0.0.1, a free port unless `port` is given). */
  static async start(options: FakePayPalOptions = {}): Promise<FakePayPal> {
    const server = createServer();
    const fake = new FakePayPal(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          fake.send(res, fake.errorReply(500));
        }
        process.stderr.write(`fake PayPal: ${String(error)}\n`);
      });
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    fake.baseUrl = `http://${shownHost}:${port}`;
    fake.publicBase = (options.publicUrl ?? fake.baseUrl).replace(/\/+$/, '');
    return fake;
  }

  /** Base URL to use as PAYPAL_API_BASE_URL. */
  get url(): string {
    return this.baseUrl;
  }

  /** The PAYPAL_* environment that points the app at this fake. */
  env(): Record<string, string> {
    return {
      PAYPAL_API_BASE_URL: this.baseUrl,
      PAYPAL_CLIENT_ID: this.clientId,
      PAYPAL_CLIENT_SECRET: this.clientSecret,
      PAYPAL_WEBHOOK_ID: this.webhookId,
    };
  }

  // ---- test controls ---------------------------------------------------------------------

  /** The buyer approves the order (as visiting its approve link does); returns the redirect URL. */
  approve(orderId: string): string | undefined {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`fake PayPal: no order ${orderId}`);
    if (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED') {
      order.status = 'APPROVED';
      order.payer = {
        payerId: randomId(13),
        email: 'buyer@fake-paypal.test',
        givenName: 'Fake',
        surname: 'Buyer',
      };
      order.updateTime = nowIso();
      this.autoDeliver('CHECKOUT.ORDER.APPROVED', { orderId });
    } else if (order.status !== 'APPROVED') {
      throw new Error(`fake PayPal: order ${orderId} is ${order.status}, it cannot be approved`);
    }
    return order.returnUrl
      ? withQuery(order.returnUrl, { token: order.id, PayerID: order.payer?.payerId ?? '' })
      : undefined;
  }

  /** Makes calls of one operation fail or stall (see FailureSpec); replaces an earlier spec. */
  fail(operation: FakeOperation, spec: FailureSpec): void {
    this.failures.set(operation, { ...spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  clearFailures(): void {
    this.failures.clear();
  }

  /** Every request fails: 503 SERVICE_UNAVAILABLE, or the connection is dropped ('reset'). */
  down(mode: 'unavailable' | 'reset' = 'unavailable'): void {
    this.downMode = mode;
  }

  up(): void {
    this.downMode = null;
  }

  /**
   * Requests of `operation` wait, unanswered, until resume(): what the app does while PayPal
   * is still working on a call (e.g. a hold expiring during a capture) can be tested in order.
   */
  pause(operation: FakeOperation): void {
    if (!this.paused.has(operation)) this.paused.set(operation, []);
  }

  /** Lets paused requests of `operation` proceed (all of them when omitted). */
  resume(operation?: FakeOperation): void {
    for (const [op, waiting] of [...this.paused]) {
      if (operation && op !== operation) continue;
      this.paused.delete(op);
      for (const proceed of waiting) proceed();
    }
  }

  /** How many requests of `operation` are waiting in pause(). */
  waiting(operation: FakeOperation): number {
    return this.paused.get(operation)?.length ?? 0;
  }

  /**
   * The next capture of an approved order is declined: 'declined' completes the order with a
   * capture in status DECLINED; 'instrument-declined' answers 422 INSTRUMENT_DECLINED.
   */
  denyNextCapture(mode: DenyMode = 'declined'): void {
    this.denyMode = mode;
  }

  /**
   * The next completed capture takes `amount` instead of the order's amount (PayPal capturing
   * another sum or currency than was ordered), whether captured by the API or by buildEvent.
   */
  captureNextWith(amount: Amount): void {
    this.nextCaptureAmount = amount;
  }

  /** Access tokens issued so far stop working (as when they expire early). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Sends webhook events to `url` after approvals, captures and refunds; undefined stops it. */
  deliverWebhooksTo(url: string | undefined): void {
    this.webhookUrl = url;
  }

  /** Requests received for an operation, failed ones included. */
  calls(operation: FakeOperation): number {
    return this.counters.get(operation) ?? 0;
  }

  requests(operation?: FakeOperation): RecordedRequest[] {
    return this.recorded.filter((r) => !operation || r.operation === operation);
  }

  /** The order as GET /v2/checkout/orders/{id} shows it. */
  order(orderId: string): JsonObject | undefined {
    const order = this.orders.get(orderId);
    return order ? this.orderJson(order, true) : undefined;
  }

  captures(): JsonObject[] {
    return [...this.captureStore.values()].map((c) => this.captureJson(c, false));
  }

  refunds(): JsonObject[] {
    return [...this.refundStore.values()].map((r) => this.refundJson(r));
  }

  /** Webhook events delivered automatically (see deliverWebhooksTo). */
  deliveries(): WebhookDelivery[] {
    return [...this.delivered];
  }

  /** Forgets orders, captures, refunds, failures and counters; issued tokens stay valid. */
  reset(): void {
    this.orders.clear();
    this.captureStore.clear();
    this.refundStore.clear();
    this.idempotent.clear();
    this.failures.clear();
    this.counters.clear();
    this.recorded.length = 0;
    this.delivered.length = 0;
    this.downMode = null;
    this.denyMode = null;
    this.nextCaptureAmount = null;
    this.resume();
    this.cancelDelays();
  }

  /** Requests still held by a `delayMs` are dropped, so they cannot act in a later test. */
  private cancelDelays(): void {
    for (const pending of this.timers) {
      clearTimeout(pending.timer);
      pending.resolve(false);
    }
    this.timers.clear();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.resume();
    this.cancelDelays();
    await Promise.allSettled([...this.pendingDeliveries]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- webhooks ---------------------------------------------------------------------------

  /**
   * A realistic event from the fake's state. Building an event also makes its state true when it
   * is not yet (CHECKOUT.ORDER.APPROVED approves, PAYMENT.CAPTURE.COMPLETED captures an approved
   * order, PAYMENT.CAPTURE.DENIED declines, PAYMENT.CAPTURE.REFUNDED refunds in full), as if it
   * happened on PayPal's side.
   */
  buildEvent(eventType: string, source: WebhookSource): WebhookEvent {
    const { resourceType, summary, resource } = this.eventResource(eventType, source);
    const id = `WH-${randomId(17)}-${randomId(17)}`;
    return {
      id,
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: eventType,
      summary,
      resource,
      links: [
        {
          href: `${this.publicBase}/v1/notifications/webhooks-events/${id}`,
          rel: 'self',
          method: 'GET',
        },
        {
          href: `${this.publicBase}/v1/notifications/webhooks-events/${id}/resend`,
          rel: 'resend',
          method: 'POST',
        },
      ],
    };
  }

  /** Headers and body of a delivery the fake's verify-webhook-signature accepts. */
  signedWebhook(
    event: object,
    options: { transmissionId?: string; transmissionTime?: string } = {},
  ): SignedWebhook {
    const body = JSON.stringify(event);
    const transmissionId = options.transmissionId ?? randomUUID();
    const transmissionTime = options.transmissionTime ?? new Date().toISOString();
    return {
      headers: {
        'content-type': 'application/json',
        'paypal-auth-algo': AUTH_ALGO,
        'paypal-cert-url': `${this.publicBase}${CERT_PATH}`,
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-sig': this.signature(
          transmissionId,
          transmissionTime,
          this.webhookId,
          body,
        ),
        'paypal-transmission-time': transmissionTime,
      },
      body,
    };
  }

  /** Builds, signs and POSTs an event to `url`, as PayPal delivers webhooks. */
  async sendWebhook(
    url: string,
    eventType: string,
    source: WebhookSource,
  ): Promise<WebhookDelivery> {
    return this.post(url, this.buildEvent(eventType, source));
  }

  private async post(url: string, event: WebhookEvent): Promise<WebhookDelivery> {
    const { headers, body } = this.signedWebhook(event);
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'user-agent': 'PayPal/AUHR-214.0-58363677' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { event, status: response.status, body: await response.text() };
  }

  private autoDeliver(eventType: string, source: WebhookSource): void {
    const url = this.webhookUrl;
    if (!url || this.closing) return;
    const event = this.buildEvent(eventType, source);
    const delivery = this.post(url, event)
      .then((result) => {
        this.delivered.push(result);
      })
      .catch((error: unknown) => {
        this.delivered.push({ event, status: 0, body: String(error) });
      })
      .finally(() => this.pendingDeliveries.delete(delivery));
    this.pendingDeliveries.add(delivery);
  }

  private signature(
    transmissionId: string,
    transmissionTime: string,
    webhookId: string,
    body: string,
  ): string {
    const message = `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body)}`;
    return createHmac('sha256', this.webhookSecret).update(message).digest('base64');
  }

  private eventResource(
    eventType: string,
    source: WebhookSource,
  ): { resourceType: string; summary: string; resource: JsonObject } {
    switch (eventType) {
      case 'CHECKOUT.ORDER.APPROVED': {
        const order = this.requireOrder(source);
        if (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED') {
          this.approve(order.id);
        }
        return {
          resourceType: 'checkout-order',
          summary: 'An order has been approved by buyer',
          resource: source.resource ?? this.orderJson(order, true),
        };
      }
      case 'PAYMENT.CAPTURE.COMPLETED': {
        const capture = this.captureFor(source, 'COMPLETED');
        const { amount } = formatMoney(capture.amount);
        return {
          resourceType: 'capture',
          summary: `Payment completed for ${capture.amount.currency} ${amount}`,
          resource: source.resource ?? this.captureJson(capture, true),
        };
      }
      case 'PAYMENT.CAPTURE.DENIED': {
        const capture = this.captureFor(source, 'DECLINED');
        if (capture.status !== 'DECLINED') {
          capture.status = 'DECLINED';
          capture.updateTime = nowIso();
        }
        const { amount } = formatMoney(capture.amount);
        return {
          resourceType: 'capture',
          summary: `Payment denied for ${capture.amount.currency} ${amount}`,
          resource: source.resource ?? this.captureJson(capture, true),
        };
      }
      case 'PAYMENT.CAPTURE.REFUNDED': {
        const refund = this.refundFor(source);
        const { amount } = formatMoney(refund.amount);
        return {
          resourceType: 'refund',
          summary: `A ${refund.amount.currency} ${amount} capture payment was refunded`,
          resource: source.resource ?? this.refundJson(refund),
        };
      }
      default:
        if (!source.resource) throw new Error(`fake PayPal: ${eventType} needs source.resource`);
        return { resourceType: 'unknown', summary: eventType, resource: source.resource };
    }
  }

  private requireOrder(source: WebhookSource): StoredOrder {
    const orderId =
      source.orderId ??
      (source.captureId ? this.captureStore.get(source.captureId)?.orderId : undefined);
    const order = orderId ? this.orders.get(orderId) : undefined;
    if (!order) throw new Error(`fake PayPal: no order for ${JSON.stringify(source)}`);
    return order;
  }

  /** The capture an event is about; an approved order without one is captured with `status`. */
  private captureFor(source: WebhookSource, status: 'COMPLETED' | 'DECLINED'): StoredCapture {
    if (source.captureId) {
      const capture = this.captureStore.get(source.captureId);
      if (!capture) throw new Error(`fake PayPal: no capture ${source.captureId}`);
      return capture;
    }
    const order = this.requireOrder(source);
    const latest = order.captureIds[order.captureIds.length - 1];
    if (latest) return this.captureStore.get(latest)!;
    if (order.status !== 'APPROVED') this.approve(order.id);
    return this.captureOrderState(order, status);
  }

  private refundFor(source: WebhookSource): StoredRefund {
    if (source.refundId) {
      const refund = this.refundStore.get(source.refundId);
      if (!refund) throw new Error(`fake PayPal: no refund ${source.refundId}`);
      return refund;
    }
    const capture = this.captureFor(source, 'COMPLETED');
    const latest = capture.refundIds[capture.refundIds.length - 1];
    if (latest) return this.refundStore.get(latest)!;
    return this.refundState(capture, source.refundMinor ?? this.remaining(capture));
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await this.readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const route = this.route(req.method ?? 'GET', url.pathname);
    if (!route) {
      this.send(res, this.errorReply(404, 'INVALID_RESOURCE_ID'));
      return;
    }
    const { operation, id } = route;
    this.counters.set(operation, this.calls(operation) + 1);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const requestId = headers['paypal-request-id'] || undefined;
    this.recorded.push({
      operation,
      method: req.method ?? 'GET',
      path: url.pathname,
      headers,
      requestId,
      body: this.tryJson(raw) ?? raw,
    });

    if (this.downMode === 'reset') {
      req.socket.destroy();
      return;
    }
    if (this.downMode === 'unavailable') {
      this.send(res, this.errorReply(503));
      return;
    }
    const waiting = this.paused.get(operation);
    if (waiting) await new Promise<void>((proceed) => waiting.push(proceed));
    const failure = this.failures.get(operation);
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      // A caller that gave up does not undo the work: PayPal still processes the request.
      if (failure.delayMs && !(await this.sleep(failure.delayMs))) {
        req.socket.destroy();
        return;
      }
      if (failure.status) {
        this.send(res, this.injectedError(operation, failure.status, failure.issue));
        return;
      }
    }

    try {
      this.send(res, this.dispatch(operation, id, url, headers, raw, requestId));
    } catch (error) {
      if (error instanceof BadRequest) this.send(res, error.reply);
      else throw error;
    }
  }

  private route(method: string, path: string): { operation: FakeOperation; id: string } | null {
    for (const [routeMethod, pattern, operation] of ROUTES) {
      if (routeMethod !== method) continue;
      const match = pattern.exec(path);
      if (match) return { operation, id: match[1] ? decodeURIComponent(match[1]) : '' };
    }
    return null;
  }

  private dispatch(
    operation: FakeOperation,
    id: string,
    url: URL,
    headers: Record<string, string>,
    raw: string,
    requestId: string | undefined,
  ): Reply {
    if (operation === 'token') return this.issueToken(headers, raw);
    if (operation === 'checkout') return this.checkout(url);
    if (!this.authorized(headers)) return this.errorReply(401);
    const representation = /return=representation/i.test(headers.prefer ?? '');
    switch (operation) {
      case 'getOrder': {
        const order = this.orders.get(id);
        return order
          ? { status: 200, body: this.orderJson(order, true) }
          : this.errorReply(404, 'INVALID_RESOURCE_ID');
      }
      case 'getCapture': {
        const capture = this.captureStore.get(id);
        return capture
          ? { status: 200, body: this.captureJson(capture, true) }
          : this.errorReply(404, 'INVALID_RESOURCE_ID');
      }
      case 'getRefund': {
        const refund = this.refundStore.get(id);
        return refund
          ? { status: 200, body: this.refundJson(refund) }
          : this.errorReply(404, 'INVALID_RESOURCE_ID');
      }
      case 'createOrder':
        return this.idempotently(operation, requestId, () =>
          this.createOrder(this.jsonBody(headers, raw), representation),
        );
      case 'capture':
        return this.idempotently(operation, requestId, () => {
          this.jsonBody(headers, raw, true);
          return this.capture(id);
        });
      case 'refund':
        return this.idempotently(operation, requestId, () =>
          this.refund(id, this.jsonBody(headers, raw, true), representation),
        );
      case 'verifyWebhook':
        return this.verifyWebhook(this.jsonBody(headers, raw));
      default:
        return this.errorReply(404, 'INVALID_RESOURCE_ID');
    }
  }

  /** The same PayPal-Request-Id answers what the first successful request answered. */
  private idempotently(
    operation: FakeOperation,
    requestId: string | undefined,
    run: () => Reply,
  ): Reply {
    const key = requestId ? `${operation}:${requestId}` : undefined;
    const earlier = key ? this.idempotent.get(key) : undefined;
    if (earlier) return earlier;
    const reply = run();
    if (key && reply.status >= 200 && reply.status < 300) this.idempotent.set(key, reply);
    return reply;
  }

  private issueToken(headers: Record<string, string>, raw: string): Reply {
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
    const given = headers.authorization ?? '';
    const same =
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!same) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
      };
    }
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' },
      };
    }
    const token = `A21AA${randomBytes(48).toString('base64url')}`;
    this.tokens.add(token);
    return {
      status: 200,
      body: {
        scope:
          'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/applications/webhooks',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: this.tokenExpiresIn,
        nonce: `${new Date().toISOString()}${randomBytes(16).toString('base64url')}`,
      },
    };
  }

  private authorized(headers: Record<string, string>): boolean {
    const match = /^Bearer (\S+)$/.exec(headers.authorization ?? '');
    return match !== null && this.tokens.has(match[1]);
  }

  private createOrder(body: JsonObject, representation: boolean): Reply {
    const intent = str(body.intent);
    if (intent !== 'CAPTURE' && intent !== 'AUTHORIZE') {
      return this.validation(
        intent ? 'INVALID_PARAMETER_VALUE' : 'MISSING_REQUIRED_PARAMETER',
        '/intent',
      );
    }
    const units = Array.isArray(body.purchase_units) ? body.purchase_units : [];
    const unit = units[0];
    if (!isRecord(unit)) return this.validation('MISSING_REQUIRED_PARAMETER', '/purchase_units');
    const amount = this.readAmount(unit.amount, "/purchase_units/@reference_id=='default'/amount");
    const paypalSource =
      isRecord(body.payment_source) && isRecord(body.payment_source.paypal)
        ? body.payment_source.paypal
        : undefined;
    const context = paypalSource
      ? isRecord(paypalSource.experience_context)
        ? paypalSource.experience_context
        : {}
      : isRecord(body.application_context)
        ? body.application_context
        : {};
    const now = nowIso();
    const order: StoredOrder = {
      id: randomId(17),
      intent,
      status: paypalSource ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      usesPaymentSource: paypalSource !== undefined,
      referenceId: str(unit.reference_id) ?? 'default',
      amount,
      description: str(unit.description),
      customId: str(unit.custom_id),
      invoiceId: str(unit.invoice_id),
      returnUrl: str(context.return_url),
      cancelUrl: str(context.cancel_url),
      createTime: now,
      updateTime: now,
      captureIds: [],
    };
    this.orders.set(order.id, order);
    const full = this.orderJson(order, true);
    return {
      status: 201,
      body: representation ? full : { id: order.id, status: order.status, links: full.links },
    };
  }

  private capture(orderId: string): Reply {
    const order = this.orders.get(orderId);
    if (!order) return this.errorReply(404, 'INVALID_RESOURCE_ID');
    if (order.status === 'COMPLETED') return this.errorReply(422, 'ORDER_ALREADY_CAPTURED');
    if (order.status !== 'APPROVED') return this.errorReply(422, 'ORDER_NOT_APPROVED');
    const deny = this.denyMode;
    this.denyMode = null;
    if (deny === 'instrument-declined') return this.errorReply(422, 'INSTRUMENT_DECLINED');
    this.captureOrderState(order, deny === 'declined' ? 'DECLINED' : 'COMPLETED');
    return { status: 201, body: this.orderJson(order, true) };
  }

  private captureOrderState(order: StoredOrder, status: 'COMPLETED' | 'DECLINED'): StoredCapture {
    const now = nowIso();
    const amount = (status === 'COMPLETED' && this.nextCaptureAmount) || order.amount;
    if (status === 'COMPLETED') this.nextCaptureAmount = null;
    const capture: StoredCapture = {
      id: randomId(17),
      orderId: order.id,
      status,
      amount,
      customId: order.customId,
      invoiceId: order.invoiceId,
      createTime: now,
      updateTime: now,
      refundIds: [],
    };
    this.captureStore.set(capture.id, capture);
    order.captureIds.push(capture.id);
    order.status = 'COMPLETED';
    order.updateTime = now;
    this.autoDeliver(
      status === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED',
      { captureId: capture.id },
    );
    return capture;
  }

  private refund(captureId: string, body: JsonObject, representation: boolean): Reply {
    const capture = this.captureStore.get(captureId);
    if (!capture) return this.errorReply(404, 'INVALID_RESOURCE_ID');
    if (capture.status === 'REFUNDED') return this.errorReply(422, 'CAPTURE_FULLY_REFUNDED');
    if (capture.status !== 'COMPLETED' && capture.status !== 'PARTIALLY_REFUNDED') {
      return this.errorReply(422, 'REFUND_NOT_ALLOWED');
    }
    const remaining = this.remaining(capture);
    let amount: Amount = { currency: capture.amount.currency, minor: remaining };
    if (body.amount !== undefined) {
      amount = this.readAmount(body.amount, '/amount');
      if (amount.currency !== capture.amount.currency) {
        return this.errorReply(422, 'CURRENCY_MISMATCH');
      }
      if (amount.minor > remaining) return this.errorReply(422, 'REFUND_AMOUNT_EXCEEDED');
    }
    const refund = this.refundState(capture, amount.minor, str(body.note_to_payer));
    const full = this.refundJson(refund);
    return {
      status: 201,
      body: representation ? full : { id: refund.id, status: refund.status, links: full.links },
    };
  }

  private remaining(capture: StoredCapture): number {
    const refunded = capture.refundIds
      .map((id) => this.refundStore.get(id)?.amount.minor ?? 0)
      .reduce((a, b) => a + b, 0);
    return capture.amount.minor - refunded;
  }

  private refundState(capture: StoredCapture, minor: number, noteToPayer?: string): StoredRefund {
    const refund: StoredRefund = {
      id: randomId(17),
      captureId: capture.id,
      status: 'COMPLETED',
      amount: { currency: capture.amount.currency, minor },
      noteToPayer,
      createTime: nowIso(),
    };
    this.refundStore.set(refund.id, refund);
    capture.refundIds.push(refund.id);
    capture.status = this.remaining(capture) === 0 ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = refund.createTime;
    this.autoDeliver('PAYMENT.CAPTURE.REFUNDED', { refundId: refund.id });
    return refund;
  }

  private verifyWebhook(body: JsonObject): Reply {
    const fields = [
      'auth_algo',
      'cert_url',
      'transmission_id',
      'transmission_sig',
      'transmission_time',
      'webhook_id',
    ] as const;
    const missing = fields.find((field) => !str(body[field]));
    if (missing || !isRecord(body.webhook_event)) {
      return {
        status: 400,
        body: {
          name: 'VALIDATION_ERROR',
          message: 'Invalid request - see details',
          debug_id: randomBytes(7).toString('hex').slice(0, 13),
          details: [
            {
              field: missing ?? 'webhook_event',
              location: 'body',
              issue: 'Required field is missing',
            },
          ],
        },
      };
    }
    const expected = this.signature(
      String(body.transmission_id),
      String(body.transmission_time),
      String(body.webhook_id),
      JSON.stringify(body.webhook_event),
    );
    const given = String(body.transmission_sig);
    const valid =
      body.webhook_id === this.webhookId &&
      body.auth_algo === AUTH_ALGO &&
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    return { status: 200, body: { verification_status: valid ? 'SUCCESS' : 'FAILURE' } };
  }

  /** GET /checkoutnow?token=<orderId>: the buyer approves (or cancels) and is sent back. */
  private checkout(url: URL): Reply {
    const order = this.orders.get(url.searchParams.get('token') ?? '');
    if (!order) {
      return { status: 404, body: 'Unknown order', headers: { 'content-type': 'text/plain' } };
    }
    if (url.searchParams.get('action') === 'cancel') {
      return order.cancelUrl
        ? { status: 302, headers: { location: withQuery(order.cancelUrl, { token: order.id }) } }
        : { status: 200, body: 'Payment cancelled.', headers: { 'content-type': 'text/plain' } };
    }
    if (order.status === 'COMPLETED' || order.status === 'VOIDED') {
      return {
        status: 409,
        body: `Order ${order.id} is ${order.status}.`,
        headers: { 'content-type': 'text/plain' },
      };
    }
    const redirect = this.approve(order.id);
    return redirect
      ? { status: 302, headers: { location: redirect } }
      : {
          status: 200,
          body: `Payment for order ${order.id} approved; you can close this window.`,
          headers: { 'content-type': 'text/plain' },
        };
  }

  // ---- JSON shapes ------------------------------------------------------------------------

  private orderJson(order: StoredOrder, full: boolean): JsonObject {
    const base = this.publicBase;
    const self = { href: `${base}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' };
    const approveHref = `${base}/checkoutnow?token=${order.id}`;
    let links: JsonObject[];
    if (order.status === 'PAYER_ACTION_REQUIRED') {
      links = [self, { href: approveHref, rel: 'payer-action', method: 'GET' }];
    } else if (order.status === 'CREATED') {
      links = [
        self,
        { href: approveHref, rel: 'approve', method: 'GET' },
        { href: `${base}/v2/checkout/orders/${order.id}`, rel: 'update', method: 'PATCH' },
        { href: `${base}/v2/checkout/orders/${order.id}/capture`, rel: 'capture', method: 'POST' },
      ];
    } else if (order.status === 'APPROVED') {
      links = [
        self,
        { href: `${base}/v2/checkout/orders/${order.id}`, rel: 'update', method: 'PATCH' },
        { href: `${base}/v2/checkout/orders/${order.id}/capture`, rel: 'capture', method: 'POST' },
      ];
    } else {
      links = [self];
    }
    const unit: JsonObject = {
      reference_id: order.referenceId,
      amount: wireAmount(order.amount),
      payee: MERCHANT,
    };
    if (order.description) unit.description = order.description;
    if (order.customId) unit.custom_id = order.customId;
    if (order.invoiceId) unit.invoice_id = order.invoiceId;
    if (order.captureIds.length > 0) {
      unit.payments = {
        captures: order.captureIds.map((id) => this.captureJson(this.captureStore.get(id)!, false)),
      };
    }
    const json: JsonObject = { id: order.id, intent: order.intent, status: order.status };
    if (order.payer) {
      json.payment_source = {
        paypal: {
          email_address: order.payer.email,
          account_id: order.payer.payerId,
          account_status: 'VERIFIED',
          name: { given_name: order.payer.givenName, surname: order.payer.surname },
          address: { country_code: 'US' },
        },
      };
    } else if (order.usesPaymentSource) {
      json.payment_source = { paypal: {} };
    }
    if (full) json.purchase_units = [unit];
    if (order.payer) {
      json.payer = {
        name: { given_name: order.payer.givenName, surname: order.payer.surname },
        email_address: order.payer.email,
        payer_id: order.payer.payerId,
        address: { country_code: 'US' },
      };
    }
    json.create_time = order.createTime;
    if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED') {
      json.update_time = order.updateTime;
    }
    json.links = links;
    return json;
  }

  private captureJson(capture: StoredCapture, withRelatedIds: boolean): JsonObject {
    const base = this.publicBase;
    const json: JsonObject = {
      id: capture.id,
      status: capture.status,
      amount: wireAmount(capture.amount),
      final_capture: true,
      seller_protection: {
        status: 'ELIGIBLE',
        dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'],
      },
    };
    if (capture.status !== 'DECLINED') {
      const fee = Math.round(capture.amount.minor * 0.0349);
      json.seller_receivable_breakdown = {
        gross_amount: wireAmount(capture.amount),
        paypal_fee: wireAmount({ currency: capture.amount.currency, minor: fee }),
        net_amount: wireAmount({
          currency: capture.amount.currency,
          minor: capture.amount.minor - fee,
        }),
      };
    }
    if (capture.customId) json.custom_id = capture.customId;
    if (capture.invoiceId) json.invoice_id = capture.invoiceId;
    if (withRelatedIds) json.supplementary_data = { related_ids: { order_id: capture.orderId } };
    json.links = [
      { href: `${base}/v2/payments/captures/${capture.id}`, rel: 'self', method: 'GET' },
      { href: `${base}/v2/payments/captures/${capture.id}/refund`, rel: 'refund', method: 'POST' },
      { href: `${base}/v2/checkout/orders/${capture.orderId}`, rel: 'up', method: 'GET' },
    ];
    json.create_time = capture.createTime;
    json.update_time = capture.updateTime;
    return json;
  }

  private refundJson(refund: StoredRefund): JsonObject {
    const base = this.publicBase;
    const capture = this.captureStore.get(refund.captureId);
    const json: JsonObject = {
      id: refund.id,
      amount: wireAmount(refund.amount),
      status: refund.status,
      seller_payable_breakdown: {
        gross_amount: wireAmount(refund.amount),
        paypal_fee: wireAmount({ currency: refund.amount.currency, minor: 0 }),
        net_amount: wireAmount(refund.amount),
        total_refunded_amount: wireAmount({
          currency: refund.amount.currency,
          minor: capture ? capture.amount.minor - this.remaining(capture) : refund.amount.minor,
        }),
      },
    };
    if (capture?.invoiceId) json.invoice_id = capture.invoiceId;
    if (capture?.customId) json.custom_id = capture.customId;
    if (refund.noteToPayer) json.note_to_payer = refund.noteToPayer;
    json.links = [
      { href: `${base}/v2/payments/refunds/${refund.id}`, rel: 'self', method: 'GET' },
      { href: `${base}/v2/payments/captures/${refund.captureId}`, rel: 'up', method: 'GET' },
    ];
    json.create_time = refund.createTime;
    json.update_time = refund.createTime;
    return json;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private readAmount(raw: unknown, field: string): Amount {
    if (!isRecord(raw) || !str(raw.currency_code) || !str(raw.value)) {
      throw new BadRequest(this.validation('MISSING_REQUIRED_PARAMETER', field));
    }
    const value = String(raw.value);
    if (!/^\d{1,10}(\.\d{1,3})?$/.test(value)) {
      throw new BadRequest(this.validation('INVALID_PARAMETER_SYNTAX', `${field}/value`));
    }
    try {
      const money = parseMoney({ amount: value, currency: String(raw.currency_code) });
      if (money.minor <= 0) {
        throw new BadRequest(this.validation('INVALID_PARAMETER_VALUE', `${field}/value`));
      }
      return { currency: money.currency, minor: money.minor };
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const issue = /decimals/.test(error.message) ? 'DECIMAL_PRECISION' : 'CURRENCY_NOT_SUPPORTED';
      throw new BadRequest(this.validation(issue, field));
    }
  }

  private jsonBody(headers: Record<string, string>, raw: string, allowEmpty = false): JsonObject {
    if (!/application\/json/i.test(headers['content-type'] ?? '')) {
      throw new BadRequest(this.errorReply(415));
    }
    if (allowEmpty && raw.trim() === '') return {};
    const parsed = this.tryJson(raw);
    if (!isRecord(parsed)) throw new BadRequest(this.errorReply(400, 'MALFORMED_REQUEST_JSON'));
    return parsed;
  }

  private validation(issue: string, field: string): Reply {
    const reply = this.errorReply(400, issue);
    if (isRecord(reply.body) && Array.isArray(reply.body.details)) {
      reply.body.details = [{ field, location: 'body', issue }];
    }
    return reply;
  }

  private injectedError(operation: FakeOperation, status: number, issue?: string): Reply {
    if (operation === 'token' && (status === 400 || status === 401)) {
      return {
        status,
        body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
      };
    }
    return this.errorReply(status, issue);
  }

  private errorReply(status: number, issue?: string): Reply {
    const name =
      ERROR_NAMES[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'INVALID_REQUEST');
    const debugId = randomBytes(7).toString('hex').slice(0, 13);
    const body: JsonObject = {
      name,
      message: ERROR_MESSAGES[name] ?? name,
      debug_id: debugId,
    };
    if (issue) {
      body.details = [{ issue, description: ISSUE_DESCRIPTIONS[issue] ?? issue }];
    }
    body.links = [
      {
        href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue ?? name}`,
        rel: 'information_link',
        method: 'GET',
      },
    ];
    return { status, body, headers: { 'paypal-debug-id': debugId } };
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string> = { ...reply.headers };
    let payload = '';
    if (typeof reply.body === 'string') {
      payload = reply.body;
    } else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  private tryJson(raw: string): unknown {
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Resolves true after `ms`, or false when cancelled by reset() or close(). */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const pending = {
        resolve,
        timer: setTimeout(() => {
          this.timers.delete(pending);
          resolve(true);
        }, ms),
      };
      this.timers.add(pending);
    });
  }
}
