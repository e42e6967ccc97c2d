import 'reflect-metadata';
import { Pool } from 'pg';
import { AppConfig, parseEnv } from '@app/config';
import { SlotService } from '@app/booking';
import { computeFreeSlots } from '@app/booking/slots/slot-engine';
import { createApiApp } from '../apps/api/src/bootstrap';
const p = require('/tmp/benchx/pool.json');

async function measure(name: string, n: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await fn(i);
  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const c = process.cpuUsage(c0); const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${name}: cpu ${((c.user + c.system) / 1000 / n).toFixed(3)} ms/op (user ${(c.user / 1000 / n).toFixed(3)}), wall ${(wall / n).toFixed(3)} ms/op`);
}

async function main() {
  const config = new AppConfig(parseEnv(process.env));
  const app = await createApiApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const docs: string[] = p.doctors;
  const url = (i: number) => `/api/v1/doctors/${docs[i % docs.length]}/slots?from=2026-11-25&to=2026-12-01`;
  const slots = app.get(SlotService);
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  const N = Number(process.env.N || 1500);
  for (let round = 0; round < 2; round++) {
    await measure('inject health', N, () => app.inject({ method: 'GET', url: '/health/live' }));
    await measure('inject slots7', N, (i) => app.inject({ method: 'GET', url: url(i) }));
    await measure('service freeSlots+stringify', N, async (i) => JSON.stringify({ items: (await slots.freeSlots(docs[i % docs.length], '2026-11-25', '2026-12-01')).map((s) => ({ startsAt: s.start, endsAt: s.end })) }));
    await measure('raw pg 4 queries+compute+stringify', N, async (i) => {
      const id = docs[i % docs.length];
      const d = (await pool.query('SELECT p.user_id, p.slot_duration_minutes, p.timezone FROM doctor_profiles p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1 AND p.active AND u.deactivated_at IS NULL AND u.role = $2', [id, 'doctor'])).rows[0];
      const from = new Date(Date.now() + 3600e3), to = new Date(Date.UTC(2026, 11, 3));
      const [r, t, b] = await Promise.all([
        pool.query('SELECT doctor_id, day_of_week, start_time, end_time FROM availability_rules WHERE doctor_id = ANY($1)', [[id]]),
        pool.query('SELECT doctor_id, starts_at, ends_at FROM time_off WHERE doctor_id = ANY($1) AND starts_at < $2 AND ends_at > $3', [[id], to, from]),
        pool.query("SELECT doctor_id, starts_at, ends_at FROM appointments WHERE doctor_id = ANY($1) AND status = ANY($2::appointment_status[]) AND starts_at < $3 AND ends_at > $4 ORDER BY starts_at", [[id], ['pending_payment', 'confirmed'], to, from]),
      ]);
      const s = computeFreeSlots({ rules: r.rows.map((x) => ({ dayOfWeek: x.day_of_week, startTime: x.start_time, endTime: x.end_time })), timeOff: t.rows.map((x) => ({ start: x.starts_at, end: x.ends_at })), busy: b.rows.map((x) => ({ start: x.starts_at, end: x.ends_at })), timezone: d.timezone, fromDate: '2026-11-25', toDate: '2026-12-01', now: new Date(), minNoticeMinutes: 60, horizonDays: 90, durationMinutes: d.slot_duration_minutes });
      return JSON.stringify({ items: s.map((x) => ({ startsAt: x.start, endsAt: x.end })) });
    });
  }
  await pool.end();
  await app.close();
  process.exit(0);
}
main();
