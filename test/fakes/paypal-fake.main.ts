import { FakePayPal } from './paypal-fake';

/** `npm run paypal:fake`: the fake PayPal for local development, until Ctrl-C. */
async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.PORT ?? 8089);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  const fake = await FakePayPal.start({
    port,
    host: env.HOST ?? '127.0.0.1',
    publicUrl: env.PAYPAL_FAKE_PUBLIC_URL,
    clientId: env.PAYPAL_CLIENT_ID || undefined,
    clientSecret: env.PAYPAL_CLIENT_SECRET || undefined,
    webhookId: env.PAYPAL_WEBHOOK_ID || undefined,
    webhookUrl: env.PAYPAL_FAKE_WEBHOOK_URL || undefined,
  });

  const lines = [
    `Fake PayPal listening on ${fake.url}`,
    '',
    'Point the api and the worker at it:',
    ...Object.entries(fake.env()).map(([name, value]) => `  ${name}=${value}`),
    '',
    'Buyers approve an order by opening its approveUrl (GET /checkoutnow?token=<orderId>).',
    env.PAYPAL_FAKE_WEBHOOK_URL
      ? `Webhook events are delivered to ${env.PAYPAL_FAKE_WEBHOOK_URL}.`
      : 'Set PAYPAL_FAKE_WEBHOOK_URL=http://127.0.0.1:3000/api/v1/payments/webhooks/paypal to receive webhook events.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
