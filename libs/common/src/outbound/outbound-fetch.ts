import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request, type Dispatcher } from 'undici';

/** The rules every request to a URL a user gave us follows (webhooks, busy calendars). */
export interface OutboundPolicy {
  /** Loopback, private and link-local targets allowed (development and tests only). */
  allowPrivate: boolean;
  /** Plain http refused (webhook targets), unless `allowPrivate`. */
  httpsOnly?: boolean;
  /** Why an address is refused, or null; defaults to `refusedAddressReason`. */
  addressCheck?: (address: string) => string | null;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface OutboundLimits {
  timeoutMs: number;
  maxRedirects: number;
  maxBodyBytes: number;
}

export const OUTBOUND_LIMITS: Readonly<OutboundLimits> = {
  timeoutMs: 10_000,
  maxRedirects: 3,
  maxBodyBytes: 5 * 1024 * 1024,
};

/** A request refused or failed by the rules; `message` is written for the user (`lastError`). */
export class OutboundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

const PUBLIC_RANGE = 'unicast';

/** Why an address may not be reached, or null when it is a public unicast address. */
export function refusedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `not an IP address: ${address}`;
  let parsed = ipaddr.parse(address);
  // ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address inside.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === PUBLIC_RANGE ? null : `${range} address ${address}`;
}

/**
 * Checks a URL's scheme and, for an IP literal, its address; names are checked at
 * connection time, after DNS (see `pinnedLookup`).
 */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OutboundError(`${url.protocol.replace(':', '')} URLs are not allowed: use https`);
  }
  if (url.protocol === 'http:' && policy.httpsOnly && !policy.allowPrivate) {
    throw new OutboundError('the URL must use https');
  }
  if (url.username || url.password) throw new OutboundError('URLs with credentials are refused');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.allowPrivate) {
    const reason = (policy.addressCheck ?? refusedAddressReason)(host);
    if (reason) throw new OutboundError(`refused: ${reason}`);
  }
  return url;
}

/** Resolves a name and checks the addresses; the connection uses exactly the address checked. */
export async function resolveOutboundHost(
  host: string,
  policy: OutboundPolicy,
): Promise<LookupAddress> {
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, found) =>
      error ? reject(new OutboundError(`cannot resolve ${host}: ${error.code}`)) : resolve(found),
    ),
  );
  if (addresses.length === 0) throw new OutboundError(`cannot resolve ${host}`);
  if (!policy.allowPrivate) {
    // Any private answer refuses the name: a rebinding name often answers both.
    for (const { address } of addresses) {
      const reason = (policy.addressCheck ?? refusedAddressReason)(address);
      if (reason) throw new OutboundError(`refused: ${host} resolves to ${reason}`);
    }
  }
  return addresses[0];
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function pinnedLookup(policy: OutboundPolicy) {
  return (host: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolveOutboundHost(host, policy).then(
      (found) =>
        options.all ? callback(null, [found]) : callback(null, found.address, found.family),
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

const agents = new WeakMap<OutboundPolicy, Agent>();

/** One keep-alive agent per policy: the check runs on every new connection it opens. */
function agentFor(policy: OutboundPolicy): Agent {
  let agent = agents.get(policy);
  if (!agent) {
    agent = new Agent({
      connect: { lookup: pinnedLookup(policy), timeout: OUTBOUND_LIMITS.timeoutMs },
      headersTimeout: OUTBOUND_LIMITS.timeoutMs,
      bodyTimeout: OUTBOUND_LIMITS.timeoutMs,
      connections: 16,
    });
    agents.set(policy, agent);
  }
  return agent;
}

/**
 * Fetches a URL a user gave us: http(s) only, DNS-checked and pinned, at most 3 redirects
 * (each checked again), a 5 MB body and 10 s in all. Throws an OutboundError with a message
 * fit for `lastError`; an HTTP error status is an answer, not an error.
 */
export async function outboundFetch(
  rawUrl: string,
  policy: OutboundPolicy,
  init: OutboundRequest = {},
  limits: Partial<OutboundLimits> = {},
): Promise<OutboundResponse> {
  const { timeoutMs, maxRedirects, maxBodyBytes } = { ...OUTBOUND_LIMITS, ...limits };
  const signal = AbortSignal.timeout(timeoutMs);
  let url = checkOutboundUrl(rawUrl, policy);
  let method = init.method ?? 'GET';
  let body = init.body;
  for (let redirects = 0; ; redirects += 1) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method,
        headers: init.headers,
        body,
        signal,
        dispatcher: agentFor(policy),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw describe(error, signal, timeoutMs);
    }
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && location) {
      await response.body.dump().catch(() => undefined);
      if (redirects >= maxRedirects) {
        throw new OutboundError(`more than ${maxRedirects} redirects`);
      }
      url = checkOutboundUrl(new URL(String(location), url).toString(), policy);
      // 303, and 301/302 after a POST as browsers do, continue as a GET.
      if (response.statusCode === 303 || (response.statusCode <= 302 && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    const content = await readLimited(response, maxBodyBytes, signal, timeoutMs);
    return {
      status: response.statusCode,
      headers: response.headers,
      body: content,
      url: url.toString(),
    };
  }
}

async function readLimited(
  response: Dispatcher.ResponseData,
  maxBytes: number,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body.destroy();
    throw new OutboundError(`the answer is larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new OutboundError(`the answer is larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw describe(error, signal, timeoutMs);
  }
  return Buffer.concat(chunks);
}

function describe(error: unknown, signal: AbortSignal, timeoutMs: number): OutboundError {
  if (error instanceof OutboundError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OutboundError) return cause;
  if (signal.aborted) return new OutboundError(`no answer within ${timeoutMs / 1000} s`);
  const code = (error as { code?: string }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new OutboundError(`no answer within ${timeoutMs / 1000} s`);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new OutboundError('connection timed out');
  const message = error instanceof Error ? error.message : String(error);
  return new OutboundError(code ? `${code}: ${message}` : message);
}
