import { BenchDatabase } from './lib/bench-database';
import { seed, bookingPool } from './lib/seed';
async function main() {
  let t = Date.now();
  const db = await BenchDatabase.create('postgres://postgres@127.0.0.1:5432/postgres');
  console.log('created+migrated', db.name, Date.now() - t); t = Date.now();
  const client = await db.client();
  const now = new Date();
  const seeded = await seed(client, now);
  console.log('seeded', Date.now() - t); t = Date.now();
  const pool = bookingPool(seeded, now, 40000);
  console.log('pool', pool.length, Date.now() - t);
  const { rows } = await client.query("select status, count(*) from appointments group by 1");
  console.log(rows);
  await client.end();
  console.log(db.url);
  console.log(JSON.stringify(pool.slice(0, 3)));
  require('fs').writeFileSync('/tmp/benchx/pool.json', JSON.stringify({ url: db.url, pool: pool.slice(0, 500), doctors: seeded.doctors.map(d => d.id), specialties: seeded.specialtyIds }));
}
main().catch((e) => { console.error(e); process.exit(1); });
