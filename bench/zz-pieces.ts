import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { validationExceptionFactory } from '@app/common';
import { SlotsQueryDto } from '../apps/api/src/doctors/slot.dto';
async function measure(name: string, n: number, fn: (i: number) => unknown) {
  for (let i = 0; i < 300; i++) await fn(i);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const c = process.cpuUsage(c0);
  console.log(`${name}: ${((c.user + c.system) / 1000 / n).toFixed(4)} ms/op`);
}
async function main() {
  const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false, exceptionFactory: validationExceptionFactory });
  await measure('validation pipe SlotsQueryDto', 5000, () => pipe.transform({ from: '2026-11-25', to: '2026-12-01' }, { type: 'query', metatype: SlotsQueryDto }));
  const redis = new Redis('redis://127.0.0.1:6379');
  await measure('redis eval', 5000, () => redis.eval("return redis.call('INCR', KEYS[1])", 1, 'benchx:tmp'));
  await measure('sha256', 5000, (i) => createHash('sha256').update('ip:127.0.0.1' + i).digest('hex'));
  const slots = Array.from({ length: 200 }, (_, i) => ({ startsAt: new Date(1.8e12 + i * 9e5), endsAt: new Date(1.8e12 + (i + 1) * 9e5) }));
  await measure('stringify 200 slots', 5000, () => JSON.stringify({ items: slots }));
  redis.disconnect();
}
main();
async function more() {
  const starts = Array.from({ length: 250 }, (_, i) => ({ start: new Date(1.8e12 + i * 9e5), end: new Date(1.8e12 + (i + 1) * 9e5) }));
  await measure('map Date + stringify 250', 3000, () => JSON.stringify({ items: starts.map((s) => ({ startsAt: s.start, endsAt: s.end })) }));
  await measure('map ISO + stringify 250', 3000, () => JSON.stringify({ items: starts.map((s) => ({ startsAt: s.start.toISOString(), endsAt: s.end.toISOString() })) }));
  await measure('toISOString x500', 3000, () => { for (const s of starts) { s.start.toISOString(); s.end.toISOString(); } });
}
setTimeout(more, 2000);
