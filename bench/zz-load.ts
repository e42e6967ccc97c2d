import { runLoad } from './load-client';
const p = require('/tmp/benchx/pool.json');
async function main() {
  const [port, kind, dur] = process.argv.slice(2);
  const paths = kind === 'health' ? ['/health/live'] : kind === 'doctors' ? p.specialties.map((s: string) => `/api/v1/doctors?specialty=${s}`) : p.doctors.map((d: string) => `/api/v1/doctors/${d}/slots?from=2026-11-25&to=${kind === 's31' ? '2026-12-25' : '2026-12-01'}`);
  const r = await runLoad({ url: `http://127.0.0.1:${port}`, connections: 50, duration: Number(dur || 5), overallRate: process.env.RATE ? Number(process.env.RATE) : undefined, requests: { kind: 'paths', method: 'GET', paths } });
  console.log(port, kind, JSON.stringify(r));
}
main();
