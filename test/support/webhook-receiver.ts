import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  raw: string;
  /** Verified by the Standard Webhooks reference library with the path's secret(s). */
  verified: boolean;
  receivedAt: number;
}

/** What a path answers: a status (or a sequence, then 200), after an optional delay. */
export interface Behaviour {
  statuses?: number[];
  delayMs?: number;
}

/** A local receiver with one path per endpoint, checking every request's signature. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly secrets = new Map<string, string[]>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly listeners = new Set<(path: string) => void>();

  private readonly server: Server;
  baseUrl = '';

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.baseUrl = `http://127.0.0.1:${port}`;
    return receiver;
  }

  url(path: string): string {
    return `${this.baseUrl}/${path}`;
  }

  /** The secrets a receiver on `path` verifies with (any one must match). */
  trust(path: string, ...secrets: string[]): void {
    this.secrets.set(`/${path}`, secrets);
  }

  behave(path: string, behaviour: Behaviour): void {
    this.behaviours.set(`/${path}`, { ...behaviour, statuses: [...(behaviour.statuses ?? [])] });
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === `/${path}`);
  }

  /** Called as each request arrives, before its answer; returns the unsubscribe. */
  onRequest(listener: (path: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    for (const listener of this.listeners) listener(path);
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    const verified = (this.secrets.get(path) ?? []).some((secret) => {
      try {
        new Webhook(secret).verify(raw, headers);
        return true;
      } catch {
        return false;
      }
    });
    const behaviour = this.behaviours.get(path) ?? {};
    if (behaviour.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs).unref());
    }
    this.received.push({
      path,
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
      body: raw ? JSON.parse(raw) : null,
      raw,
      verified,
      receivedAt: Date.now(),
    });
    const status = behaviour.statuses?.shift() ?? 200;
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
  }
}
