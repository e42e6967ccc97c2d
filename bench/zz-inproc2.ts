import 'reflect-metadata';
import { AppConfig, parseEnv } from '@app/config';
import { createApiApp } from '../apps/api/src/bootstrap';
const p = require('/tmp/benchx/pool.json');
async function main() {
  const app = await createApiApp(new AppConfig(parseEnv(process.env)));
  await app.init(); await app.getHttpAdapter().getInstance().ready();
  const docs: string[] = p.doctors; const N = Number(process.env.N || 3000);
  const url = (i: number) => process.env.URL ?? `/api/v1/doctors/${docs[i % docs.length]}/slots?from=2026-11-25&to=2026-12-01`;
  for (let i = 0; i < 300; i++) await app.inject({ method: 'GET', url: url(i) });
  const probe = await app.inject({ method: 'GET', url: url(1) }); console.error('probe', probe.statusCode, probe.body.slice(0, 200));
  console.error('START', process.uptime());
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await app.inject({ method: 'GET', url: url(i) });
  const c = process.cpuUsage(c0); console.error(`cpu ${((c.user + c.system) / 1000 / N).toFixed(3)} ms/op`);
  await app.close(); process.exit(0);
}
main();
