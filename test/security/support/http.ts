export interface RawRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/me?x=1`. */
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string | Buffer;
  token?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON (problem+json included), else undefined. */
  json: unknown;
  /** What was sent, for failure messages. */
  request: string;
}

/** A request that cannot hang the suite: it fails after `timeoutMs`. */
export async function send(
  baseUrl: string,
  req: RawRequest,
  timeoutMs = 20_000,
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.token) headers.Authorization = `Bearer ${req.token}`;
  let body: string | Buffer | undefined;
  if (req.rawBody !== undefined) body = req.rawBody;
  else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const described = `${req.method} ${req.url}${body !== undefined ? ` ${describeBody(body)}` : ''}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(baseUrl + req.url, {
      method: req.method,
      headers,
      body: body as string | Uint8Array | undefined,
      redirect: 'manual',
      signal: controller.signal,
    });
    // An event stream never ends: its status and headers are the answer.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return {
        status: res.status,
        headers: res.headers,
        text: '',
        json: undefined,
        request: described,
      };
    }
    const text = await res.text();
    let json: unknown;
    if (/json/.test(res.headers.get('content-type') ?? '')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, headers: res.headers, text, json, request: described };
  } catch (error) {
    if (controller.signal.aborted)
      throw new Error(`${described} did not answer within ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function describeBody(body: string | Buffer): string {
  const text = body.toString();
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} bytes)` : text;
}

interface OperationOutcomeJson {
  resourceType?: unknown;
  issue?: { details?: { coding?: { code?: unknown }[] } }[];
}

/**
 * The stable error code of an error answer: problem+json's `code`, or (the FHIR routes
 * under /fhir/R4) the first issue's `details.coding[0].code` of an OperationOutcome.
 */
export function errorCodeOf(res: RawResponse): string | undefined {
  if ((res.headers.get('content-type') ?? '').startsWith('application/fhir+json')) {
    const outcome = res.json as OperationOutcomeJson | undefined;
    if (outcome?.resourceType !== 'OperationOutcome') return undefined;
    const code = outcome.issue?.[0]?.details?.coding?.[0]?.code;
    return typeof code === 'string' ? code : undefined;
  }
  const code = (res.json as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Query parameters, a parameter given as a list repeated (FHIR's `start=ge…&start=lt…`). */
export function searchOf(query: Record<string, string | string[]>): URLSearchParams {
  return new URLSearchParams(
    Object.entries(query).flatMap(([name, value]) =>
      [value].flat().map((v): [string, string] => [name, v]),
    ),
  );
}

/**
 * True when the answer is RFC 9457 problem+json with a stable code, or a FHIR route's
 * OperationOutcome carrying that code (SPEC §6: FHIR errors are OperationOutcomes).
 */
export function isProblem(res: RawResponse): boolean {
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('application/fhir+json')) return errorCodeOf(res) !== undefined;
  const body = res.json as { code?: unknown; status?: unknown } | undefined;
  return (
    (res.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    typeof body?.code === 'string' &&
    body.status === res.status
  );
}
