import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ErrorCode } from '@app/common';
import { AppConfig, ConfigModule } from '@app/config';
import {
  CreateOrderInput,
  PaymentProviderError,
  PaymentsProviderModule,
  PayPalClient,
  PayPalClientOptions,
  toPayPalMoney,
} from '@app/payments';
import { FakePayPal } from './fakes/paypal-fake';
import { waitFor } from './support/wait-for';

const RETURN_URL = 'http://localhost:3000/payments/return?payment=p-1';
const CANCEL_URL = 'http://localhost:3000/payments/cancel?payment=p-1';

let sequence = 0;
function orderInput(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  sequence += 1;
  return {
    requestId: `create-${sequence}-${Date.now()}`,
    amount: toPayPalMoney({ minor: 4500, currency: 'USD' }),
    customId: `payment-${sequence}`,
    invoiceId: `INV-${sequence}-${Date.now()}`,
    description: 'Consultation with Dr. Example',
    returnUrl: RETURN_URL,
    cancelUrl: CANCEL_URL,
    ...overrides,
  };
}

/** Resolves with the PaymentProviderError `promise` rejects with; fails the test otherwise. */
async function providerError(promise: Promise<unknown>): Promise<PaymentProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PaymentProviderError);
    return error as PaymentProviderError;
  }
  throw new Error('expected a PaymentProviderError, the call succeeded');
}

describe(PayPalClient.name, () => {
  let fake: FakePayPal;

  function configFor(env: Record<string, string> = {}): AppConfig {
    return AppConfig.fromEnv({ ...process.env, ...fake.env(), ...env });
  }

  function clientFor(options: PayPalClientOptions = {}, env: Record<string, string> = {}) {
    return new PayPalClient(configFor(env), { timeoutMs: 5_000, ...options });
  }

  /** A created order approved by the buyer through its approve link. */
  async function approvedOrder(client: PayPalClient): Promise<string> {
    const order = await client.createOrder(orderInput());
    fake.approve(order.id);
    return order.id;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    fake = await FakePayPal.start();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  describe('access token', () => {
    it('fetches one token for many calls', async () => {
      const client = clientFor();
      const order = await client.createOrder(orderInput());
      await Promise.all(Array.from({ length: 5 }, () => client.getOrder(order.id)));
      await client.getOrder(order.id);

      expect(fake.calls('token')).toBe(1);
      expect(fake.calls('getOrder')).toBe(6);
      const [tokenRequest] = fake.requests('token');
      expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(tokenRequest.body).toBe('grant_type=client_credentials');
    });

    it('shares one in-flight token request between concurrent first callers', async () => {
      const client = clientFor();
      const seed = await clientFor().createOrder(orderInput());
      const tokensBefore = fake.calls('token');
      const orders = await Promise.all(Array.from({ length: 4 }, () => client.getOrder(seed.id)));
      expect(orders.map((o) => o.id)).toEqual([seed.id, seed.id, seed.id, seed.id]);
      expect(fake.calls('token') - tokensBefore).toBe(1);
    });

    it('renews the token shortly before it expires', async () => {
      let now = Date.now();
      const client = clientFor({ now: () => now, tokenRefreshMarginMs: 60_000 });
      const order = await client.createOrder(orderInput());
      now += 32_400_000 - 120_000;
      await client.getOrder(order.id);
      expect(fake.calls('token')).toBe(1);

      now += 61_000;
      await client.getOrder(order.id);
      expect(fake.calls('token')).toBe(2);
    });

    it('renews a refused token and retries the call once', async () => {
      const client = clientFor();
      const order = await client.createOrder(orderInput());
      fake.revokeTokens();

      await expect(client.getOrder(order.id)).resolves.toMatchObject({ id: order.id });
      expect(fake.calls('token')).toBe(2);
      expect(fake.calls('getOrder')).toBe(2);
    });

    it('gives up after one retry when PayPal keeps answering 401', async () => {
      const client = clientFor();
      const order = await client.createOrder(orderInput());
      fake.fail('getOrder', { status: 401 });

      const error = await providerError(client.getOrder(order.id));
      expect(error).toMatchObject({ httpStatus: 401, operation: 'get order', retryable: false });
      expect(fake.calls('getOrder')).toBe(2);
      expect(fake.calls('token')).toBe(2);
    });

    it('reports wrong credentials without revealing them', async () => {
      const client = clientFor({}, { PAYPAL_CLIENT_SECRET: 'not-the-secret-42' });
      const error = await providerError(client.createOrder(orderInput()));

      expect(error.code).toBe(ErrorCode.PAYMENT_PROVIDER_ERROR);
      expect(error).toMatchObject({ operation: 'access token', httpStatus: 401 });
      expect(error.message).toContain('invalid_client');
      expect(error.message).not.toContain('not-the-secret-42');
      expect(error.message).not.toContain(fake.clientId);
      expect(fake.calls('createOrder')).toBe(0);
    });

    it('refuses to call PayPal without credentials', async () => {
      const client = clientFor({}, { PAYPAL_CLIENT_ID: '', PAYPAL_CLIENT_SECRET: '' });
      const error = await providerError(client.createOrder(orderInput()));
      expect(error.message).toContain('not configured');
      expect(fake.calls('token')).toBe(0);
    });
  });

  describe('order lifecycle', () => {
    it('creates, is approved through the approve link, captures and refunds', async () => {
      const client = clientFor();
      const input = orderInput();
      const created = await client.createOrder(input);
      expect(created.status).toBe('PAYER_ACTION_REQUIRED');
      expect(created.approveUrl).toBe(`${fake.url}/checkoutnow?token=${created.id}`);

      const sent = fake.requests('createOrder')[0];
      expect(sent.requestId).toBe(input.requestId);
      expect(sent.headers.prefer).toBe('return=representation');
      expect(sent.body).toMatchObject({
        intent: 'CAPTURE',
        purchase_units: [
          {
            amount: { currency_code: 'USD', value: '45.00' },
            custom_id: input.customId,
            invoice_id: input.invoiceId,
          },
        ],
        payment_source: {
          paypal: { experience_context: { return_url: RETURN_URL, cancel_url: CANCEL_URL } },
        },
      });

      const approval = await fetch(created.approveUrl, { redirect: 'manual' });
      expect(approval.status).toBe(302);
      const back = new URL(approval.headers.get('location') ?? '');
      expect(`${back.origin}${back.pathname}`).toBe('http://localhost:3000/payments/return');
      expect(back.searchParams.get('payment')).toBe('p-1');
      expect(back.searchParams.get('token')).toBe(created.id);
      expect(back.searchParams.get('PayerID')).toMatch(/^[A-Z0-9]{13}$/);

      const approved = await client.getOrder(created.id);
      expect(approved).toMatchObject({ id: created.id, status: 'APPROVED', intent: 'CAPTURE' });
      expect(approved.purchaseUnits[0]).toMatchObject({
        customId: input.customId,
        amount: { currencyCode: 'USD', value: '45.00' },
        captures: [],
      });

      const captured = await client.captureOrder(created.id, `capture-${created.id}`);
      expect(captured).toMatchObject({
        orderStatus: 'COMPLETED',
        captureStatus: 'COMPLETED',
        amount: { currencyCode: 'USD', value: '45.00' },
        customId: input.customId,
        alreadyCaptured: false,
      });
      expect(fake.requests('capture')[0].requestId).toBe(`capture-${created.id}`);

      const refund = await client.refundCapture(captured.captureId, `refund-${captured.captureId}`);
      expect(refund).toMatchObject({
        status: 'COMPLETED',
        amount: { currencyCode: 'USD', value: '45.00' },
      });
      expect(fake.requests('refund')[0].requestId).toBe(`refund-${captured.captureId}`);
      const after = await client.getOrder(created.id);
      expect(after.purchaseUnits[0].captures).toEqual([
        expect.objectContaining({ id: captured.captureId, status: 'REFUNDED' }),
      ]);
    });

    it('refunds part of a capture when given an amount', async () => {
      const client = clientFor();
      const captured = await client.captureOrder(await approvedOrder(client), 'capture-partial');
      const refund = await client.refundCapture(
        captured.captureId,
        'refund-partial',
        toPayPalMoney({ minor: 1000, currency: 'USD' }),
      );
      expect(refund.amount).toEqual({ currencyCode: 'USD', value: '10.00' });
      expect(fake.requests('refund')[0].body).toEqual({
        amount: { currency_code: 'USD', value: '10.00' },
      });
      expect(fake.captures()[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
    });

    it('refuses to capture an order the buyer has not approved', async () => {
      const client = clientFor();
      const created = await client.createOrder(orderInput());
      const error = await providerError(client.captureOrder(created.id, 'capture-unapproved'));
      expect(error).toMatchObject({
        httpStatus: 422,
        issue: 'ORDER_NOT_APPROVED',
        retryable: false,
      });
      expect(error.message).toMatch(/capture order.*debug_id [0-9a-f]+/);
    });

    it('answers a declined instrument with capture status DECLINED', async () => {
      const client = clientFor();
      fake.denyNextCapture();
      const captured = await client.captureOrder(await approvedOrder(client), 'capture-declined');
      expect(captured).toMatchObject({ orderStatus: 'COMPLETED', captureStatus: 'DECLINED' });
    });

    it('reports 422 INSTRUMENT_DECLINED as a non-retryable provider error', async () => {
      const client = clientFor();
      fake.denyNextCapture('instrument-declined');
      const orderId = await approvedOrder(client);
      const error = await providerError(client.captureOrder(orderId, 'capture-instrument'));
      expect(error).toMatchObject({ issue: 'INSTRUMENT_DECLINED', retryable: false });
      expect((await client.getOrder(orderId)).status).toBe('APPROVED');
    });

    it('reports an unknown order as a provider error with PayPal issue', async () => {
      const error = await providerError(clientFor().getOrder('NOSUCHORDER000001'));
      expect(error).toMatchObject({ httpStatus: 404, issue: 'INVALID_RESOURCE_ID' });
    });
  });

  describe('idempotency', () => {
    it('creates one order for one PayPal-Request-Id', async () => {
      const client = clientFor();
      const input = orderInput();
      const first = await client.createOrder(input);
      const second = await client.createOrder(input);
      expect(second.id).toBe(first.id);
      expect(fake.calls('createOrder')).toBe(2);
      expect(fake.order(first.id)).toBeDefined();
    });

    it('captures once when the same request id is sent twice', async () => {
      const client = clientFor();
      const orderId = await approvedOrder(client);
      const first = await client.captureOrder(orderId, 'capture-same-id');
      const second = await client.captureOrder(orderId, 'capture-same-id');

      expect(second.captureId).toBe(first.captureId);
      expect(second.alreadyCaptured).toBe(false);
      expect(fake.calls('capture')).toBe(2);
      expect(fake.captures()).toHaveLength(1);
    });

    it('treats ORDER_ALREADY_CAPTURED as success by re-reading the order', async () => {
      const client = clientFor();
      const orderId = await approvedOrder(client);
      const first = await client.captureOrder(orderId, 'capture-first-attempt');
      const second = await client.captureOrder(orderId, 'capture-other-attempt');

      expect(second).toMatchObject({
        captureId: first.captureId,
        captureStatus: 'COMPLETED',
        orderStatus: 'COMPLETED',
        alreadyCaptured: true,
      });
      expect(fake.captures()).toHaveLength(1);
    });

    it('recovers a capture whose answer was lost to the timeout', async () => {
      const client = clientFor({ timeoutMs: 300 });
      const orderId = await approvedOrder(client);
      fake.fail('capture', { delayMs: 1_500, times: 1 });

      const error = await providerError(client.captureOrder(orderId, 'capture-lost-answer'));
      expect(error.retryable).toBe(true);
      await waitFor(() => fake.captures().length === 1, { what: 'the delayed capture' });

      const retried = await client.captureOrder(orderId, 'capture-lost-answer');
      expect(retried).toMatchObject({
        captureStatus: 'COMPLETED',
        captureId: fake.captures()[0].id,
      });
      expect(fake.captures()).toHaveLength(1);
    }, 15_000);

    it('refunds once per request id and never twice per capture', async () => {
      const client = clientFor();
      const captured = await client.captureOrder(await approvedOrder(client), 'capture-for-refund');
      const first = await client.refundCapture(captured.captureId, 'refund-once');
      const replay = await client.refundCapture(captured.captureId, 'refund-once');
      expect(replay.refundId).toBe(first.refundId);
      expect(fake.refunds()).toHaveLength(1);

      const error = await providerError(client.refundCapture(captured.captureId, 'refund-again'));
      expect(error).toMatchObject({ httpStatus: 422, issue: 'CAPTURE_FULLY_REFUNDED' });
      expect(fake.refunds()).toHaveLength(1);
    });
  });

  describe('webhook verification', () => {
    function completedEvent(client: PayPalClient) {
      return approvedOrder(client).then((orderId) =>
        fake.buildEvent('PAYMENT.CAPTURE.COMPLETED', { orderId }),
      );
    }

    it('accepts an event signed by PayPal (the fake)', async () => {
      const client = clientFor();
      const { headers, body } = fake.signedWebhook(await completedEvent(client));
      await expect(client.verifyWebhookSignature(headers, body)).resolves.toBe(true);
      await expect(client.verifyWebhookSignature(headers, Buffer.from(body))).resolves.toBe(true);

      const sent = fake.requests('verifyWebhook')[0].body;
      expect(sent).toMatchObject({
        auth_algo: 'SHA256withRSA',
        transmission_id: headers['paypal-transmission-id'],
        transmission_sig: headers['paypal-transmission-sig'],
        transmission_time: headers['paypal-transmission-time'],
        cert_url: headers['paypal-cert-url'],
        webhook_id: fake.webhookId,
        webhook_event: JSON.parse(body),
      });
    });

    it('rejects a tampered body', async () => {
      const client = clientFor();
      const { headers, body } = fake.signedWebhook(await completedEvent(client));
      const tampered = body.replace('"value":"45.00"', '"value":"4500.00"');
      expect(tampered).not.toBe(body);
      await expect(client.verifyWebhookSignature(headers, tampered)).resolves.toBe(false);
    });

    it('rejects a forged signature or another webhook id', async () => {
      const client = clientFor();
      const { headers, body } = fake.signedWebhook(await completedEvent(client));
      const forged = {
        ...headers,
        'paypal-transmission-sig': Buffer.from('forged').toString('base64'),
      };
      await expect(client.verifyWebhookSignature(forged, body)).resolves.toBe(false);

      const otherWebhook = clientFor({}, { PAYPAL_WEBHOOK_ID: 'OTHERWEBHOOK0001' });
      await expect(otherWebhook.verifyWebhookSignature(headers, body)).resolves.toBe(false);
    });

    it('answers false without calling PayPal when headers or body are unusable', async () => {
      const client = clientFor();
      const { headers, body } = fake.signedWebhook(await completedEvent(client));
      const withoutSig: IncomingHttpHeaders = { ...headers };
      delete withoutSig['paypal-transmission-sig'];

      await expect(client.verifyWebhookSignature(withoutSig, body)).resolves.toBe(false);
      await expect(client.verifyWebhookSignature({}, body)).resolves.toBe(false);
      await expect(client.verifyWebhookSignature(headers, 'not json')).resolves.toBe(false);
      await expect(client.verifyWebhookSignature(headers, '[1,2]')).resolves.toBe(false);
      const unconfigured = clientFor({}, { PAYPAL_WEBHOOK_ID: '' });
      await expect(unconfigured.verifyWebhookSignature(headers, body)).resolves.toBe(false);
      expect(fake.calls('verifyWebhook')).toBe(0);
    });

    it('throws when PayPal cannot be asked, so the delivery is retried later', async () => {
      const client = clientFor();
      const { headers, body } = fake.signedWebhook(await completedEvent(client));
      fake.fail('verifyWebhook', { status: 503 });
      const error = await providerError(client.verifyWebhookSignature(headers, body));
      expect(error).toMatchObject({ httpStatus: 503, retryable: true });
    });
  });

  describe('webhook events of the fake', () => {
    let receiver: Server;
    let receiverUrl: string;
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/payments/webhooks/paypal`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    beforeEach(() => {
      received.length = 0;
    });

    it('delivers signed PayPal-shaped events our client verifies', async () => {
      const client = clientFor();
      const input = orderInput();
      const created = await client.createOrder(input);
      const approvedDelivery = await fake.sendWebhook(receiverUrl, 'CHECKOUT.ORDER.APPROVED', {
        orderId: created.id,
      });
      expect(approvedDelivery.status).toBe(200);
      expect(approvedDelivery.event).toMatchObject({
        event_type: 'CHECKOUT.ORDER.APPROVED',
        resource_type: 'checkout-order',
        resource: { id: created.id, status: 'APPROVED' },
      });

      const captured = await client.captureOrder(created.id, 'capture-webhook');
      const completed = await fake.sendWebhook(receiverUrl, 'PAYMENT.CAPTURE.COMPLETED', {
        orderId: created.id,
      });
      expect(completed.event).toMatchObject({
        event_type: 'PAYMENT.CAPTURE.COMPLETED',
        resource_type: 'capture',
        resource_version: '2.0',
        resource: {
          id: captured.captureId,
          status: 'COMPLETED',
          custom_id: input.customId,
          amount: { currency_code: 'USD', value: '45.00' },
          supplementary_data: { related_ids: { order_id: created.id } },
        },
      });

      const refund = await client.refundCapture(captured.captureId, 'refund-webhook');
      const refunded = await fake.sendWebhook(receiverUrl, 'PAYMENT.CAPTURE.REFUNDED', {
        refundId: refund.refundId,
      });
      expect(refunded.event).toMatchObject({
        resource_type: 'refund',
        resource: { id: refund.refundId, status: 'COMPLETED', custom_id: input.customId },
      });

      const ids = [approvedDelivery, completed, refunded].map((d) => d.event.id);
      expect(new Set(ids).size).toBe(3);
      ids.forEach((id) => expect(id).toMatch(/^WH-[A-Z0-9]{17}-[A-Z0-9]{17}$/));
      expect(received).toHaveLength(3);
      for (const delivery of received) {
        await expect(client.verifyWebhookSignature(delivery.headers, delivery.body)).resolves.toBe(
          true,
        );
      }
    });

    it('makes the event true on its side: a capture event captures an approved order', async () => {
      const client = clientFor();
      const orderId = await approvedOrder(client);
      const delivery = await fake.sendWebhook(receiverUrl, 'PAYMENT.CAPTURE.COMPLETED', {
        orderId,
      });

      const captured = await client.captureOrder(orderId, 'capture-after-webhook');
      expect(captured).toMatchObject({
        alreadyCaptured: true,
        captureId: delivery.event.resource.id,
      });
    });

    it('builds a denied capture event with status DECLINED', async () => {
      const client = clientFor();
      const orderId = await approvedOrder(client);
      const delivery = await fake.sendWebhook(receiverUrl, 'PAYMENT.CAPTURE.DENIED', { orderId });
      expect(delivery.event.resource).toMatchObject({
        status: 'DECLINED',
        supplementary_data: { related_ids: { order_id: orderId } },
      });
    });

    it('delivers events on its own when told where', async () => {
      const client = clientFor();
      fake.deliverWebhooksTo(receiverUrl);
      try {
        const orderId = await approvedOrder(client);
        await client.captureOrder(orderId, 'capture-auto-webhook');
        await waitFor(() => fake.deliveries().length === 2, { what: 'two webhook deliveries' });
      } finally {
        fake.deliverWebhooksTo(undefined);
      }
      expect(fake.deliveries().map((d) => [d.event.event_type, d.status])).toEqual([
        ['CHECKOUT.ORDER.APPROVED', 200],
        ['PAYMENT.CAPTURE.COMPLETED', 200],
      ]);
    });
  });

  describe('PayPal unavailable', () => {
    it('turns a 503 into PAYMENT_PROVIDER_ERROR naming the operation and debug id', async () => {
      const client = clientFor();
      const order = await client.createOrder(orderInput());
      fake.down();

      const error = await providerError(client.captureOrder(order.id, 'capture-while-down'));
      expect(error.code).toBe(ErrorCode.PAYMENT_PROVIDER_ERROR);
      expect(error).toMatchObject({ httpStatus: 503, retryable: true, operation: 'capture order' });
      expect(error.message).toMatch(
        /^PayPal capture order failed: HTTP 503, SERVICE_UNAVAILABLE, debug_id [0-9a-f]{13}$/,
      );

      fake.up();
      await expect(client.getOrder(order.id)).resolves.toMatchObject({ id: order.id });
    });

    it('turns dropped connections into a retryable provider error', async () => {
      const client = clientFor();
      const order = await client.createOrder(orderInput());
      fake.down('reset');
      const error = await providerError(client.getOrder(order.id));
      expect(error).toMatchObject({ operation: 'get order', retryable: true });
      expect(error.message).toMatch(/network error/);
      fake.up();
    });

    it('turns a refused connection into a provider error', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));

      const client = clientFor({}, { PAYPAL_API_BASE_URL: `http://127.0.0.1:${port}` });
      const error = await providerError(client.createOrder(orderInput()));
      expect(error).toMatchObject({ operation: 'access token', retryable: true });
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('gives up on a slow PayPal after the timeout instead of hanging', async () => {
      const client = clientFor({ timeoutMs: 300 });
      const order = await client.createOrder(orderInput());
      fake.fail('getOrder', { delayMs: 30_000 });

      const error = await providerError(client.getOrder(order.id));
      expect(error).toMatchObject({ operation: 'get order', retryable: true });
      expect(error.message).toBe('PayPal get order failed: no answer within 300 ms');
    }, 10_000);

    it('applies the timeout to the token request too', async () => {
      const client = clientFor({ timeoutMs: 300 });
      fake.fail('token', { delayMs: 30_000 });
      const error = await providerError(client.createOrder(orderInput()));
      expect(error.message).toBe('PayPal access token failed: no answer within 300 ms');
    }, 10_000);

    it('maps a 500 to a retryable error and succeeds on retry with the same request id', async () => {
      const client = clientFor();
      const orderId = await approvedOrder(client);
      fake.fail('capture', { status: 500, times: 1 });

      const error = await providerError(client.captureOrder(orderId, 'capture-after-500'));
      expect(error).toMatchObject({ httpStatus: 500, retryable: true });
      const captured = await client.captureOrder(orderId, 'capture-after-500');
      expect(captured.captureStatus).toBe('COMPLETED');
      expect(fake.captures()).toHaveLength(1);
    });
  });

  describe(PaymentsProviderModule.name, () => {
    it('provides the client built from AppConfig', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [ConfigModule.forRoot(configFor()), PaymentsProviderModule],
      }).compile();
      const created = await moduleRef.get(PayPalClient).createOrder(orderInput());
      expect(created.approveUrl).toBe(`${fake.url}/checkoutnow?token=${created.id}`);
      await moduleRef.close();
    });

    it('takes client options such as the timeout', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot(configFor()),
          PaymentsProviderModule.withOptions({ timeoutMs: 300 }),
        ],
      }).compile();
      const client = moduleRef.get(PayPalClient);
      fake.fail('createOrder', { delayMs: 30_000 });
      const error = await providerError(client.createOrder(orderInput()));
      expect(error.message).toBe('PayPal create order failed: no answer within 300 ms');
      await moduleRef.close();
    }, 10_000);
  });
});
