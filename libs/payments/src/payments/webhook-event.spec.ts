import { parseWebhookEnvelope, webhookAction } from './webhook-event';

const PAYMENT_ID = '6f1c2b0e-8d8a-4a53-9a49-2f0c1d3e4b5a';

describe('webhook events', () => {
  describe(parseWebhookEnvelope.name, () => {
    it('reads the id, type and resource id of an event', () => {
      const raw = Buffer.from(
        JSON.stringify({
          id: 'WH-1',
          event_type: 'PAYMENT.CAPTURE.COMPLETED',
          resource: { id: 'CAP1' },
        }),
      );
      expect(parseWebhookEnvelope(raw)).toEqual({
        id: 'WH-1',
        eventType: 'PAYMENT.CAPTURE.COMPLETED',
        resourceId: 'CAP1',
        resource: { id: 'CAP1' },
      });
    });

    it.each(['not json', '[1,2]', '{"event_type":"X"}', '{"id":"WH-1"}'])('refuses %s', (raw) => {
      expect(parseWebhookEnvelope(raw)).toBeNull();
    });
  });

  describe(webhookAction.name, () => {
    it('maps an approved order to its payment through custom_id', () => {
      const resource = {
        id: 'ORDER1',
        status: 'APPROVED',
        purchase_units: [{ custom_id: PAYMENT_ID }],
      };
      expect(webhookAction('CHECKOUT.ORDER.APPROVED', resource)).toEqual({
        kind: 'approved',
        ref: { orderId: 'ORDER1', paymentId: PAYMENT_ID },
      });
    });

    it('maps a completed capture with its order id', () => {
      const resource = {
        id: 'CAP1',
        status: 'COMPLETED',
        custom_id: PAYMENT_ID,
        amount: { currency_code: 'USD', value: '40.00' },
        supplementary_data: { related_ids: { order_id: 'ORDER1' } },
      };
      expect(webhookAction('PAYMENT.CAPTURE.COMPLETED', resource)).toEqual({
        kind: 'captured',
        ref: { paymentId: PAYMENT_ID, orderId: 'ORDER1', captureId: 'CAP1' },
        captureId: 'CAP1',
        captureStatus: 'COMPLETED',
        amount: { currencyCode: 'USD', value: '40.00' },
      });
    });

    it('maps a denied capture', () => {
      expect(
        webhookAction('PAYMENT.CAPTURE.DENIED', { id: 'CAP2', status: 'DECLINED' }),
      ).toMatchObject({
        kind: 'denied',
        captureId: 'CAP2',
      });
    });

    it('maps a refund to the capture it links up to', () => {
      const resource = {
        id: 'REF1',
        status: 'COMPLETED',
        custom_id: PAYMENT_ID.toUpperCase(),
        amount: { currency_code: 'USD', value: '45.00' },
        links: [
          { rel: 'self', href: 'https://api-m.paypal.com/v2/payments/refunds/REF1' },
          { rel: 'up', href: 'https://api-m.paypal.com/v2/payments/captures/CAP1' },
        ],
      };
      expect(webhookAction('PAYMENT.CAPTURE.REFUNDED', resource)).toEqual({
        kind: 'refunded',
        ref: { paymentId: PAYMENT_ID, captureId: 'CAP1' },
        providerRefundId: 'REF1',
        amount: { currencyCode: 'USD', value: '45.00' },
      });
    });

    it('ignores a custom_id that is not one of our ids', () => {
      const action = webhookAction('PAYMENT.CAPTURE.COMPLETED', {
        id: 'CAP1',
        status: 'COMPLETED',
        custom_id: 'someone-else',
      });
      expect(action).toMatchObject({
        kind: 'captured',
        ref: { paymentId: undefined, captureId: 'CAP1' },
      });
    });

    it('ignores other event types and resources without an id', () => {
      expect(webhookAction('PAYMENT.CAPTURE.REVERSED', { id: 'CAP1' }).kind).toBe('ignored');
      expect(webhookAction('PAYMENT.CAPTURE.COMPLETED', {}).kind).toBe('ignored');
    });
  });
});
