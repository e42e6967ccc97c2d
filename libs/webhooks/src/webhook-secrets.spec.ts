import { Webhook } from 'standardwebhooks';
import { AppConfig } from '@app/config';
import { webhookBody } from './webhook-payload';
import { newWebhookSecret, WebhookSecrets } from './webhook-secrets';
import { signWebhook } from './webhook-signature';

const config = (key?: string) => AppConfig.fromEnv(key ? { WEBHOOK_SECRET_KEY: key } : {});

describe(WebhookSecrets.name, () => {
  it('seals and opens a secret; another key cannot open it', () => {
    const secret = newWebhookSecret();
    const box = new WebhookSecrets(config('a key of at least thirty-two characters!'));
    const sealed = box.seal(secret);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed)).toBe(secret);
    expect(box.seal(secret)).not.toBe(sealed);
    const other = new WebhookSecrets(config('another key of at least thirty-two chars'));
    expect(() => other.open(sealed)).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const box = new WebhookSecrets(config());
    const [format, iv, tag, body] = box.seal(newWebhookSecret()).split(':');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(() => box.open([format, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
  });
});

describe(signWebhook.name, () => {
  it('signs so that the reference library verifies with either secret of a rotation', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify(webhookBody('webhook.test', new Date(), { webhookId: 'x' }));
    const headers = signWebhook([current, previous], 'msg_1', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, { ...headers })).toMatchObject({
        type: 'webhook.test',
      });
    }
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, { ...headers })).toThrow();
  });
});

describe(webhookBody.name, () => {
  it('leaves out health data: reason, cancellation reason and answers', () => {
    const body = webhookBody('appointment.booked', new Date('2027-01-01T00:00:00Z'), {
      id: 'a',
      reason: 'migraine',
      cancellationReason: 'hospital',
      answers: [{ key: 'allergies', value: 'penicillin' }],
      status: 'confirmed',
    });
    expect(body).toEqual({
      type: 'appointment.booked',
      timestamp: '2027-01-01T00:00:00.000Z',
      data: { id: 'a', status: 'confirmed' },
    });
  });
});
