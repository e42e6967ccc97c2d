import { ErrorCode } from '@app/common';
import { PaymentProviderError } from './payment-provider.error';
import {
  findApproveUrl,
  parseOrder,
  parsePayPalError,
  parseRefund,
  readWebhookTransmission,
  selectCapture,
  toMinorMoney,
  toPayPalMoney,
  UnexpectedPayPalResponse,
  verifyWebhookRequestBody,
} from './paypal-wire';

const TRANSMISSION_HEADERS = {
  'paypal-auth-algo': 'SHA256withRSA',
  'paypal-cert-url': 'https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-1',
  'paypal-transmission-id': '69cd13f0-d67a-11e5-baa3-778b53f4ae55',
  'paypal-transmission-sig': 'c2lnbmF0dXJl',
  'paypal-transmission-time': '2026-02-18T20:01:35Z',
};

describe('PayPal wire helpers', () => {
  describe('amounts', () => {
    it('formats minor units as PayPal decimal strings', () => {
      expect(toPayPalMoney({ minor: 4500, currency: 'USD' })).toEqual({
        currencyCode: 'USD',
        value: '45.00',
      });
      expect(toPayPalMoney({ minor: 5, currency: 'EUR' })).toEqual({
        currencyCode: 'EUR',
        value: '0.05',
      });
      expect(toPayPalMoney({ minor: 1500, currency: 'JPY' })).toEqual({
        currencyCode: 'JPY',
        value: '1500',
      });
    });

    it('reads PayPal amounts back into minor units', () => {
      expect(toMinorMoney({ currencyCode: 'USD', value: '45.00' })).toEqual({
        minor: 4500,
        currency: 'USD',
      });
      expect(toMinorMoney({ currencyCode: 'USD', value: '19.9' }).minor).toBe(1990);
      expect(() => toMinorMoney({ currencyCode: 'JPY', value: '10.5' })).toThrow(RangeError);
    });
  });

  describe(findApproveUrl.name, () => {
    it('prefers payer-action and falls back to approve', () => {
      const self = { href: 'https://paypal.test/self', rel: 'self', method: 'GET' };
      const approve = { href: 'https://paypal.test/approve', rel: 'approve' };
      const payerAction = { href: 'https://paypal.test/payer-action', rel: 'payer-action' };
      expect(findApproveUrl([self, approve, payerAction])).toBe(payerAction.href);
      expect(findApproveUrl([self, approve])).toBe(approve.href);
      expect(findApproveUrl([self])).toBeUndefined();
    });
  });

  describe(parseOrder.name, () => {
    const raw = {
      id: '5O190127TN364715T',
      intent: 'CAPTURE',
      status: 'COMPLETED',
      payer: { payer_id: 'QYR5Z8XDVJNXQ' },
      purchase_units: [
        {
          reference_id: 'default',
          custom_id: 'payment-1',
          amount: { currency_code: 'USD', value: '45.00' },
          payments: {
            captures: [
              {
                id: 'DECLINED1',
                status: 'DECLINED',
                amount: { currency_code: 'USD', value: '45.00' },
              },
              {
                id: '3C679366HH908993F',
                status: 'COMPLETED',
                custom_id: 'payment-1',
                final_capture: true,
                amount: { currency_code: 'USD', value: '45.00' },
              },
            ],
          },
        },
      ],
      links: [{ href: 'https://paypal.test/self', rel: 'self', method: 'GET' }, { rel: 'broken' }],
    };

    it('maps snake_case JSON to the typed order', () => {
      const order = parseOrder(raw);
      expect(order).toMatchObject({
        id: '5O190127TN364715T',
        status: 'COMPLETED',
        intent: 'CAPTURE',
        payerId: 'QYR5Z8XDVJNXQ',
        links: [{ href: 'https://paypal.test/self', rel: 'self', method: 'GET' }],
      });
      expect(order.purchaseUnits[0]).toMatchObject({
        customId: 'payment-1',
        amount: { currencyCode: 'USD', value: '45.00' },
      });
      expect(order.purchaseUnits[0].captures[1]).toEqual({
        id: '3C679366HH908993F',
        status: 'COMPLETED',
        customId: 'payment-1',
        finalCapture: true,
        amount: { currencyCode: 'USD', value: '45.00' },
      });
    });

    it('picks the capture that moved money over a declined attempt', () => {
      expect(selectCapture(parseOrder(raw))?.id).toBe('3C679366HH908993F');
    });

    it('falls back to the latest attempt when none moved money', () => {
      const declinedOnly = {
        ...raw,
        purchase_units: [{ payments: { captures: [raw.purchase_units[0].payments.captures[0]] } }],
      };
      expect(selectCapture(parseOrder(declinedOnly))?.status).toBe('DECLINED');
      expect(selectCapture(parseOrder({ id: 'X', status: 'APPROVED' }))).toBeUndefined();
    });

    it('refuses answers without the fields the flow relies on', () => {
      expect(() => parseOrder({ status: 'CREATED' })).toThrow(UnexpectedPayPalResponse);
      expect(() => parseOrder('nope')).toThrow(UnexpectedPayPalResponse);
      expect(() =>
        parseOrder({
          id: 'X',
          status: 'COMPLETED',
          purchase_units: [{ payments: { captures: [{}] } }],
        }),
      ).toThrow(UnexpectedPayPalResponse);
    });
  });

  describe(parseRefund.name, () => {
    it('reads id, status and amount of a refund', () => {
      const raw = {
        id: '1JU08902781691411',
        status: 'COMPLETED',
        amount: { currency_code: 'USD', value: '10.99' },
        links: [],
      };
      expect(parseRefund(raw)).toEqual({
        refundId: '1JU08902781691411',
        status: 'COMPLETED',
        amount: { currencyCode: 'USD', value: '10.99' },
      });
      expect(() => parseRefund({ status: 'COMPLETED' })).toThrow(UnexpectedPayPalResponse);
    });
  });

  describe(parsePayPalError.name, () => {
    it('reads name, first issue and debug_id of a REST error', () => {
      const body = {
        name: 'UNPROCESSABLE_ENTITY',
        message: 'The requested action could not be performed.',
        debug_id: '90957fca61718',
        details: [{ issue: 'ORDER_ALREADY_CAPTURED', description: 'Order already captured.' }],
      };
      expect(parsePayPalError(body, 'header-debug')).toEqual({
        name: 'UNPROCESSABLE_ENTITY',
        issue: 'ORDER_ALREADY_CAPTURED',
        debugId: '90957fca61718',
      });
    });

    it('reads the OAuth2 error shape and the debug id header', () => {
      const body = { error: 'invalid_client', error_description: 'Client Authentication failed' };
      expect(parsePayPalError(body, 'f1a2b3c4d5e6f')).toEqual({
        name: 'invalid_client',
        debugId: 'f1a2b3c4d5e6f',
      });
      expect(parsePayPalError(undefined, null)).toEqual({});
    });
  });

  describe(readWebhookTransmission.name, () => {
    it('reads the PAYPAL-* headers whatever their case', () => {
      const upper = Object.fromEntries(
        Object.entries(TRANSMISSION_HEADERS).map(([k, v]) => [k.toUpperCase(), [v]]),
      );
      expect(readWebhookTransmission(upper)).toEqual({
        authAlgo: 'SHA256withRSA',
        certUrl: TRANSMISSION_HEADERS['paypal-cert-url'],
        transmissionId: TRANSMISSION_HEADERS['paypal-transmission-id'],
        transmissionSig: 'c2lnbmF0dXJl',
        transmissionTime: '2026-02-18T20:01:35Z',
      });
    });

    it.each(Object.keys(TRANSMISSION_HEADERS))('is undefined without %s', (name) => {
      expect(
        readWebhookTransmission({ ...TRANSMISSION_HEADERS, [name]: undefined }),
      ).toBeUndefined();
      expect(readWebhookTransmission({ ...TRANSMISSION_HEADERS, [name]: ' ' })).toBeUndefined();
    });
  });

  describe(verifyWebhookRequestBody.name, () => {
    it('embeds the event exactly as received', () => {
      const rawEvent = '{"id":"WH-1","amount":{"value":"45.10"},"note":"caf\\u00e9"}';
      const transmission = readWebhookTransmission(TRANSMISSION_HEADERS)!;
      const body = verifyWebhookRequestBody(transmission, 'WEBHOOK1', rawEvent);
      expect(body.endsWith(`"webhook_event":${rawEvent}}`)).toBe(true);
      expect(JSON.parse(body)).toEqual({
        auth_algo: 'SHA256withRSA',
        cert_url: TRANSMISSION_HEADERS['paypal-cert-url'],
        transmission_id: TRANSMISSION_HEADERS['paypal-transmission-id'],
        transmission_sig: 'c2lnbmF0dXJl',
        transmission_time: '2026-02-18T20:01:35Z',
        webhook_id: 'WEBHOOK1',
        webhook_event: { id: 'WH-1', amount: { value: '45.10' }, note: 'café' },
      });
    });
  });
});

describe(PaymentProviderError.name, () => {
  it('carries PAYMENT_PROVIDER_ERROR, the operation, PayPal issue and debug id', () => {
    const error = new PaymentProviderError({
      operation: 'capture order',
      reason: 'HTTP 422',
      httpStatus: 422,
      name: 'UNPROCESSABLE_ENTITY',
      issue: 'INSTRUMENT_DECLINED',
      debugId: '90957fca61718',
      retryable: false,
    });
    expect(error.code).toBe(ErrorCode.PAYMENT_PROVIDER_ERROR);
    expect(error.name).toBe('PaymentProviderError');
    expect(error.message).toBe(
      'PayPal capture order failed: HTTP 422, UNPROCESSABLE_ENTITY, issue INSTRUMENT_DECLINED, debug_id 90957fca61718',
    );
    expect(error).toMatchObject({
      issue: 'INSTRUMENT_DECLINED',
      httpStatus: 422,
      retryable: false,
    });
  });
});
