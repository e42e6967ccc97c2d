import { PassThrough } from 'node:stream';
import pino from 'pino';
import { demoteStartupChatter, prettyStream } from './logger';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('development logs', () => {
  it("turns Nest's start-up narration into debug lines and leaves the rest alone", () => {
    const out = capture();
    const logger = pino({ level: 'info', hooks: { logMethod: demoteStartupChatter } }, out.stream);
    logger.info({ context: 'InstanceLoader' }, 'BullModule dependencies initialized');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/me, GET} route');
    logger.info({ context: 'Api' }, 'Listening on http://127.0.0.1:3000');
    logger.warn({ context: 'InstanceLoader' }, 'a warning stays a warning');

    const entries = out.lines().map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(entries.map((e) => [e.level, e.msg])).toEqual([
      [30, 'Listening on http://127.0.0.1:3000'],
      [40, 'a warning stays a warning'],
    ]);
  });

  it('shows the narration at LOG_LEVEL=debug', () => {
    const out = capture();
    const logger = pino({ level: 'debug', hooks: { logMethod: demoteStartupChatter } }, out.stream);
    logger.info({ context: 'InstanceLoader' }, 'CoreModule dependencies initialized');
    expect(out.lines().map((line) => JSON.parse(line) as { level: number })).toMatchObject([
      { level: 20, msg: 'CoreModule dependencies initialized' },
    ]);
  });

  it('writes one line per entry: the context, or a request as method, url, status, time', () => {
    const out = capture();
    const logger = pino({ base: { service: 'api' } }, prettyStream(out.stream));
    logger.info({ context: 'Api' }, 'Listening on http://127.0.0.1:3000');
    logger.info(
      {
        req: { id: 'r1', method: 'GET', url: '/api/v1/doctors' },
        res: { statusCode: 200 },
        responseTime: 7,
      },
      'request completed',
    );
    logger.warn({ context: 'Mail', attempt: 2 }, 'SMTP refused\nsecond line');

    const lines = out.lines();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Api: Listening on http:\/\/127\.0\.0\.1:3000$/,
    );
    expect(lines[1]).toMatch(/INFO: GET \/api\/v1\/doctors 200 7ms$/);
    expect(lines[2]).toMatch(/WARN: Mail: SMTP refused \\n second line \{"attempt":2\}$/);
  });
});
