import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PaymentProviderError } from './payment-provider.error';
import {
  findApproveUrl,
  isRecord,
  JsonObject,
  parseOrder,
  parsePayPalError,
  parseRefund,
  readWebhookTransmission,
  selectCapture,
  toWireAmount,
  UnexpectedPayPalResponse,
  verifyWebhookRequestBody,
} from './paypal-wire';
import {
  CaptureResult,
  CreatedOrder,
  CreateOrderInput,
  PayPalMoney,
  PayPalOrder,
  RefundResult,
  WebhookHeaders,
} from './paypal.types';

export const PAYPAL_CLIENT_OPTIONS = Symbol('PAYPAL_CLIENT_OPTIONS');

export interface PayPalClientOptions {
  /** Upper bound of each HTTP call to PayPal, body included. Default 10 s. */
  timeoutMs?: number;
  /** Renew the access token this long before PayPal says it expires. Default 60 s. */
  tokenRefreshMarginMs?: number;
  /** Clock used for token expiry. */
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_TOKEN_REFRESH_MARGIN_MS = 60_000;
const DESCRIPTION_MAX_LENGTH = 127;

interface HttpResult {
  status: number;
  body: unknown;
  debugId: string | null;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

type HttpMethod = 'GET' | 'POST';

/**
 * PayPal REST client (OAuth2, Orders v2, Payments v2 refunds, webhook verification) over
 * Node's fetch. Every failure becomes a PaymentProviderError; every POST that moves money
 * carries PayPal-Request-Id so a retry with the same id is a no-op at PayPal.
 */
@Injectable()
export class PayPalClient {
  private readonly logger = new Logger(PayPalClient.name);
  private readonly baseUrl: string;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly webhookId: string;
  private readonly timeoutMs: number;
  private readonly tokenRefreshMarginMs: number;
  private readonly now: () => number;
  private token?: CachedToken;
  private tokenRequest?: Promise<string>;

  constructor(
    config: AppConfig,
    @Optional() @Inject(PAYPAL_CLIENT_OPTIONS) options: PayPalClientOptions = {},
  ) {
    this.baseUrl = config.paypal.baseUrl.replace(/\/+$/, '');
    this.clientId = config.paypal.clientId;
    this.clientSecret = config.paypal.clientSecret;
    this.webhookId = config.paypal.webhookId;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.tokenRefreshMarginMs = options.tokenRefreshMarginMs ?? DEFAULT_TOKEN_REFRESH_MARGIN_MS;
    this.now = options.now ?? Date.now;
  }

  /** POST /v2/checkout/orders with intent CAPTURE; the buyer then visits `approveUrl`. */
  async createOrder(input: CreateOrderInput): Promise<CreatedOrder> {
    const operation = 'create order';
    const unit: JsonObject = {
      reference_id: 'default',
      amount: toWireAmount(input.amount),
      custom_id: input.customId,
    };
    if (input.invoiceId) unit.invoice_id = input.invoiceId;
    if (input.description) unit.description = input.description.slice(0, DESCRIPTION_MAX_LENGTH);
    const experienceContext: JsonObject = {
      return_url: input.returnUrl,
      cancel_url: input.cancelUrl,
      user_action: 'PAY_NOW',
      shipping_preference: 'NO_SHIPPING',
    };
    if (input.brandName) experienceContext.brand_name = input.brandName;
    const body = {
      intent: 'CAPTURE',
      purchase_units: [unit],
      payment_source: { paypal: { experience_context: experienceContext } },
    };
    const result = await this.send(operation, 'POST', '/v2/checkout/orders', {
      json: JSON.stringify(body),
      requestId: input.requestId,
    });
    if (!isSuccess(result)) throw this.httpError(operation, result);
    const order = this.parse(operation, result, parseOrder);
    const approveUrl = findApproveUrl(order.links);
    if (!approveUrl) throw this.unexpected(operation, 'the order has no approve link', result);
    return { id: order.id, status: order.status, approveUrl };
  }

  /** GET /v2/checkout/orders/{id}. */
  async getOrder(orderId: string): Promise<PayPalOrder> {
    const operation = 'get order';
    const result = await this.send(operation, 'GET', `/v2/checkout/orders/${segment(orderId)}`);
    if (!isSuccess(result)) throw this.httpError(operation, result);
    return this.parse(operation, result, parseOrder);
  }

  /**
   * POST /v2/checkout/orders/{id}/capture. An order captured earlier (by a previous attempt
   * whose answer was lost, or by anyone else) is read back and reported, not an error.
   * A declined instrument may come back as captureStatus DECLINED.
   */
  async captureOrder(orderId: string, requestId: string): Promise<CaptureResult> {
    const operation = 'capture order';
    const result = await this.send(
      operation,
      'POST',
      `/v2/checkout/orders/${segment(orderId)}/capture`,
      { json: '{}', requestId },
    );
    if (isSuccess(result)) {
      return this.captureResult(
        operation,
        this.parse(operation, result, parseOrder),
        false,
        result,
      );
    }
    const info = parsePayPalError(result.body, result.debugId);
    if (result.status === 422 && info.issue === 'ORDER_ALREADY_CAPTURED') {
      const order = await this.getOrder(orderId);
      return this.captureResult(operation, order, true, result);
    }
    throw this.httpError(operation, result);
  }

  /** POST /v2/payments/captures/{id}/refund; the whole capture unless `amount` is given. */
  async refundCapture(
    captureId: string,
    requestId: string,
    amount?: PayPalMoney,
  ): Promise<RefundResult> {
    const operation = 'refund capture';
    const body = amount ? { amount: toWireAmount(amount) } : {};
    const result = await this.send(
      operation,
      'POST',
      `/v2/payments/captures/${segment(captureId)}/refund`,
      { json: JSON.stringify(body), requestId },
    );
    if (!isSuccess(result)) throw this.httpError(operation, result);
    return this.parse(operation, result, parseRefund);
  }

  /**
   * Asks PayPal whether a webhook delivery is authentic (POST
   * /v1/notifications/verify-webhook-signature with PAYPAL_WEBHOOK_ID). Missing transmission
   * headers, a body that is not a JSON object or no configured webhook id answer false without
   * calling PayPal; PayPal being unreachable throws PaymentProviderError.
   */
  async verifyWebhookSignature(
    headers: WebhookHeaders,
    rawBody: string | Buffer | JsonObject,
  ): Promise<boolean> {
    const operation = 'verify webhook signature';
    const transmission = readWebhookTransmission(headers);
    if (!transmission) return false;
    if (!this.webhookId) {
      this.logger.warn('PAYPAL_WEBHOOK_ID is not set: webhook deliveries cannot be verified');
      return false;
    }
    const rawEvent = rawEventText(rawBody);
    if (rawEvent === undefined) return false;
    const result = await this.send(
      operation,
      'POST',
      '/v1/notifications/verify-webhook-signature',
      {
        json: verifyWebhookRequestBody(transmission, this.webhookId, rawEvent),
      },
    );
    if (result.status === 400 || result.status === 422) {
      // Malformed transmission headers (they come from whoever posted the webhook).
      const info = parsePayPalError(result.body, result.debugId);
      this.logger.warn(
        `PayPal rejected a webhook verification request: ${info.name ?? result.status}`,
      );
      return false;
    }
    if (!isSuccess(result)) throw this.httpError(operation, result);
    return isRecord(result.body) && result.body.verification_status === 'SUCCESS';
  }

  private captureResult(
    operation: string,
    order: PayPalOrder,
    alreadyCaptured: boolean,
    result: HttpResult,
  ): CaptureResult {
    const capture = selectCapture(order);
    if (!capture) throw this.unexpected(operation, 'the order has no capture', result);
    const captured: CaptureResult = {
      orderStatus: order.status,
      captureId: capture.id,
      captureStatus: capture.status,
      amount: capture.amount,
      alreadyCaptured,
    };
    const customId = capture.customId ?? order.purchaseUnits[0]?.customId;
    if (customId) captured.customId = customId;
    return captured;
  }

  /** One API call with the cached token; a 401 renews the token and retries once. */
  private async send(
    operation: string,
    method: HttpMethod,
    path: string,
    options: { json?: string; requestId?: string } = {},
  ): Promise<HttpResult> {
    const token = await this.accessToken();
    const result = await this.call(operation, method, path, token, options);
    if (result.status !== 401) return result;
    this.logger.debug(`PayPal refused the access token on ${operation}; renewing it once`);
    this.forgetToken(token);
    return this.call(operation, method, path, await this.accessToken(), options);
  }

  private call(
    operation: string,
    method: HttpMethod,
    path: string,
    token: string,
    options: { json?: string; requestId?: string },
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
    };
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      headers.Prefer = 'return=representation';
    }
    if (options.requestId) headers['PayPal-Request-Id'] = options.requestId;
    return this.http(operation, `${this.baseUrl}${path}`, { method, headers, body: options.json });
  }

  /** The cached token, or one new token shared by every concurrent caller. */
  private async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  private forgetToken(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private async requestToken(): Promise<string> {
    const operation = 'access token';
    if (!this.clientId || !this.clientSecret) {
      throw new PaymentProviderError({
        operation,
        reason: 'PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET are not configured',
        retryable: false,
      });
    }
    const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
    const requestedAt = this.now();
    const result = await this.http(operation, `${this.baseUrl}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (!isSuccess(result)) throw this.httpError(operation, result);
    const body = result.body;
    if (
      !isRecord(body) ||
      typeof body.access_token !== 'string' ||
      typeof body.expires_in !== 'number'
    ) {
      throw this.unexpected(
        operation,
        'the token response has no access_token or expires_in',
        result,
      );
    }
    const lifetimeMs = Math.max(0, body.expires_in * 1000);
    const marginMs = Math.min(this.tokenRefreshMarginMs, lifetimeMs / 2);
    this.token = { value: body.access_token, refreshAt: requestedAt + lifetimeMs - marginMs };
    return body.access_token;
  }

  /** fetch with the timeout over the whole exchange; transport failures become domain errors. */
  private async http(operation: string, url: string, init: RequestInit): Promise<HttpResult> {
    try {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: parseJson(text),
        debugId: response.headers.get('paypal-debug-id'),
      };
    } catch (error) {
      throw new PaymentProviderError(
        { operation, reason: this.transportReason(error), retryable: true },
        { cause: error },
      );
    }
  }

  private transportReason(error: unknown): string {
    // Duck-typed: fetch's errors may come from another realm (DOMException, undici's TypeError).
    const failure = isRecord(error) ? error : {};
    if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
      return `no answer within ${this.timeoutMs} ms`;
    }
    const cause = isRecord(failure.cause) ? failure.cause : {};
    return typeof cause.code === 'string' ? `network error ${cause.code}` : 'network error';
  }

  private httpError(operation: string, result: HttpResult): PaymentProviderError {
    const info = parsePayPalError(result.body, result.debugId);
    return new PaymentProviderError({
      operation,
      reason: `HTTP ${result.status}`,
      httpStatus: result.status,
      name: info.name,
      issue: info.issue,
      debugId: info.debugId,
      retryable: result.status === 429 || result.status >= 500,
    });
  }

  private unexpected(operation: string, reason: string, result: HttpResult): PaymentProviderError {
    return new PaymentProviderError({
      operation,
      reason: `unexpected response (${reason})`,
      httpStatus: result.status,
      debugId: result.debugId ?? undefined,
      retryable: false,
    });
  }

  private parse<T>(operation: string, result: HttpResult, parser: (body: unknown) => T): T {
    try {
      return parser(result.body);
    } catch (error) {
      if (error instanceof UnexpectedPayPalResponse) {
        throw this.unexpected(operation, error.message, result);
      }
      throw error;
    }
  }
}

function isSuccess(result: HttpResult): boolean {
  return result.status >= 200 && result.status < 300;
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The webhook body as text, or undefined unless it is a JSON object. */
function rawEventText(rawBody: string | Buffer | JsonObject): string | undefined {
  if (isRecord(rawBody) && !Buffer.isBuffer(rawBody)) return JSON.stringify(rawBody);
  const text = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : String(rawBody);
  return isRecord(parseJson(text)) ? text : undefined;
}
