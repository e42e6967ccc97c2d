import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkOutboundUrl,
  outboundFetch,
  OutboundError,
  type OutboundPolicy,
  refusedAddressReason,
} from './outbound-fetch';

const STRICT: OutboundPolicy = { allowPrivate: false };
const OPEN: OutboundPolicy = { allowPrivate: true };
/** Lets the local test server (127.0.0.1) through but refuses every other non-public address. */
const LOCAL_ONLY: OutboundPolicy = {
  allowPrivate: false,
  addressCheck: (address) => (address === '127.0.0.1' ? null : refusedAddressReason(address)),
};

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('outboundFetch', () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  describe('refused targets with OUTBOUND_ALLOW_PRIVATE off', () => {
    it.each([
      ['http://127.0.0.1/', 'loopback'],
      ['http://10.0.0.1/', 'private'],
      ['http://192.168.1.1/', 'private'],
      ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
      ['http://[::1]/', 'loopback'],
      ['http://[fd00::1]/', 'uniqueLocal'],
      ['http://[fe80::1]/', 'linkLocal'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://0.0.0.0/', 'unspecified'],
    ])('%s is refused (%s)', async (url, range) => {
      expect(await refusal(outboundFetch(url, STRICT))).toContain(range);
    });

    it('refuses a name that resolves to loopback', async () => {
      expect(await refusal(outboundFetch('http://localhost:9/', STRICT))).toMatch(
        /localhost resolves to .*loopback/,
      );
    });

    it('refuses schemes other than http and https, and http where https is required', () => {
      expect(() => checkOutboundUrl('file:///etc/passwd', STRICT)).toThrow(/file URLs/);
      expect(() => checkOutboundUrl('ftp://example.com/', STRICT)).toThrow(/ftp URLs/);
      expect(() => checkOutboundUrl('http://example.com/', { ...STRICT, httpsOnly: true })).toThrow(
        /https/,
      );
      expect(checkOutboundUrl('https://example.com/x', { ...STRICT, httpsOnly: true }).href).toBe(
        'https://example.com/x',
      );
    });

    it('treats public addresses as public', () => {
      expect(refusedAddressReason('93.184.216.34')).toBeNull();
      expect(refusedAddressReason('2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
    });
  });

  it('answers with the status and body', async () => {
    handler = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(201).end(`got ${req.method} ${body}`));
    };
    const response = await outboundFetch(`${base}/hook`, OPEN, { method: 'POST', body: 'x' });
    expect(response.status).toBe(201);
    expect(response.body.toString()).toBe('got POST x');
  });

  it('follows up to 3 redirects and refuses a 4th', async () => {
    handler = (req, res) => {
      const n = Number(req.url?.slice(1) || 0);
      if (n < 4) res.writeHead(302, { location: `/${n + 1}` }).end();
      else res.writeHead(200).end('arrived');
    };
    const three = await outboundFetch(`${base}/1`, OPEN);
    expect(three.body.toString()).toBe('arrived');
    expect(await refusal(outboundFetch(`${base}/0`, OPEN))).toBe('more than 3 redirects');
  });

  it('checks every redirect target again', async () => {
    handler = (req, res) => {
      const to: Record<string, string> = {
        '/to-private': 'http://10.0.0.1/',
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
        '/to-file': 'file:///etc/passwd',
      };
      res.writeHead(302, { location: to[req.url ?? ''] ?? '/' }).end();
    };
    expect(await refusal(outboundFetch(`${base}/to-private`, LOCAL_ONLY))).toContain('private');
    expect(await refusal(outboundFetch(`${base}/to-metadata`, LOCAL_ONLY))).toContain('linkLocal');
    expect(await refusal(outboundFetch(`${base}/to-file`, OPEN))).toContain('file URLs');
  });

  it('stops reading past the size limit', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(600_000));
      res.end(Buffer.alloc(600_000));
    };
    expect(await refusal(outboundFetch(base, OPEN, {}, { maxBodyBytes: 1_000_000 }))).toMatch(
      /larger than 1000000 bytes/,
    );
    handler = (_req, res) => res.writeHead(200, { 'content-length': '6000000' }).end();
    expect(await refusal(outboundFetch(base, OPEN))).toMatch(/larger than 5242880 bytes/);
  });

  it('gives up after the timeout', async () => {
    handler = (_req, res) => setTimeout(() => res.writeHead(200).end(), 2000).unref();
    const started = Date.now();
    expect(await refusal(outboundFetch(base, OPEN, {}, { timeoutMs: 300 }))).toBe(
      'no answer within 0.3 s',
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
