/**
 * A patient's first booking with the typed client:
 * register → login → list doctors → free slots → book.
 *
 *   npm start & npm run seed     # an api with doctors
 *   npx ts-node clients/typescript/example.ts   # API_URL defaults to http://localhost:3000
 */
import { randomUUID } from 'node:crypto';
import { createApiClient, type Problem } from './src';

const baseUrl = process.env.API_URL ?? 'http://localhost:3000';

/** A date of `zone` as YYYY-MM-DD, `daysAhead` days from now. */
function dateIn(zone: string, daysAhead: number): string {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(day);
}

function fail(step: string, problem: Problem | undefined): never {
  throw new Error(`${step}: ${problem?.status} ${problem?.code} ${problem?.detail}`);
}

async function main(): Promise<void> {
  // Wherever the app keeps its session; the client reads the token on every request.
  const tokens: { access?: string } = {};
  const api = createApiClient(baseUrl, () => tokens.access);

  const email = `ada.${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery staple';
  const registered = await api.POST('/api/v1/auth/register', {
    body: { email, password, firstName: 'Ada', lastName: 'Lovelace', timezone: 'Europe/London' },
  });
  if (!registered.data) fail('register', registered.error);
  console.log(`registered ${registered.data.email} (${registered.data.role})`);

  const session = await api.POST('/api/v1/auth/login', { body: { email, password } });
  if (!session.data) fail('login', session.error);
  tokens.access = session.data.accessToken;

  const doctors = await api.GET('/api/v1/doctors', { params: { query: { limit: 20 } } });
  if (!doctors.data) fail('list doctors', doctors.error);
  const doctor = doctors.data.items.find((d) => d.nextAvailableAt !== null);
  if (!doctor) throw new Error('no doctor with a free slot: run `npm run seed` first');
  const fee = doctor.consultationFee;
  console.log(
    `doctor ${doctor.firstName} ${doctor.lastName} (${doctor.timezone}), fee ${fee.amount} ${fee.currency}`,
  );

  const slots = await api.GET('/api/v1/doctors/{id}/slots', {
    params: {
      path: { id: doctor.id },
      query: { from: dateIn(doctor.timezone, 0), to: dateIn(doctor.timezone, 14) },
    },
  });
  if (!slots.data) fail('slots', slots.error);
  const [slot] = slots.data.items;
  console.log(`${slots.data.items.length} free slots, first at ${slot.startsAt}`);

  const booked = await api.POST('/api/v1/appointments', {
    // A retry with the same key returns the first answer instead of booking twice.
    params: { header: { 'Idempotency-Key': randomUUID() } },
    body: { doctorId: doctor.id, startsAt: slot.startsAt, reason: 'First visit' },
  });
  if (!booked.data) fail('book', booked.error);
  const appointment = booked.data;
  console.log(
    `booked ${appointment.id}: ${appointment.status}` +
      (appointment.holdExpiresAt ? `, pay before ${appointment.holdExpiresAt}` : ''),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
