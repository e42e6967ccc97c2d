export interface StreamedNotification {
  id: string;
  title: string;
  type: string;
  data: Record<string, unknown>;
}

export interface StreamConnection {
  servedBy: string | null;
  status: number;
  lastEventId: string | null;
  openedAt: number;
  endedAt?: number;
}

/**
 * An EventSource-like client of GET /notifications/stream: when the stream ends it
 * reconnects (after `retryMs`) with Last-Event-ID, as a browser does.
 */
export class SseClient {
  readonly received: StreamedNotification[] = [];
  readonly connections: StreamConnection[] = [];
  private lastEventId: string | null = null;
  private stopped = false;
  private controller?: AbortController;
  private loop?: Promise<void>;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly retryMs = 200,
  ) {}

  start(): this {
    this.loop = this.run();
    return this;
  }

  get current(): StreamConnection | undefined {
    return this.connections[this.connections.length - 1];
  }

  /** Resolves once a stream is open (its headers arrived) after `count` earlier ones. */
  async connected(count = 1, timeoutMs = 30_000): Promise<StreamConnection> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const open = this.connections.filter((c) => c.status === 200);
      if (open.length >= count && !open[count - 1].endedAt) return open[count - 1];
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no event stream number ${count} within ${timeoutMs} ms`);
  }

  async next(
    predicate: (n: StreamedNotification) => boolean,
    timeoutMs = 30_000,
  ): Promise<StreamedNotification> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const found = this.received.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no such notification on the stream within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.controller = new AbortController();
      const connection: StreamConnection = {
        servedBy: null,
        status: 0,
        lastEventId: this.lastEventId,
        openedAt: Date.now(),
      };
      this.connections.push(connection);
      try {
        const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
        if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
        const res = await fetch(`${this.baseUrl}/api/v1/notifications/stream`, {
          headers,
          signal: this.controller.signal,
        });
        connection.status = res.status;
        connection.servedBy = res.headers.get('x-served-by');
        if (res.status === 200 && res.body) await this.read(res.body);
        else await res.body?.cancel();
      } catch {
        // A reset or an abort: reconnect like EventSource.
      }
      connection.endedAt = Date.now();
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.handle(frame);
      }
    }
  }

  private handle(frame: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (event !== 'notification' || data.length === 0) return;
    this.received.push(JSON.parse(data.join('\n')) as StreamedNotification);
    if (id) this.lastEventId = id;
  }
}
