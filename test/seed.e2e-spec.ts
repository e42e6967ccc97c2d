import {
  APPOINTMENTS,
  countSeedRows,
  DOCTORS,
  PATIENTS,
  SPECIALTIES,
  seedDemoData,
  seedEmail,
  seedRefusal,
} from '../scripts/seed';
import { bearer, login } from './support/auth-helpers';
import { TestApp } from './support/test-app';

const PASSWORD = 'seed-test-password';

describe('npm run seed (scripts/seed.ts)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ worker: false });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is idempotent: a second run leaves every count as the first left it', async () => {
    const options = { password: PASSWORD, holdMinutes: app.config.booking.holdMinutes };
    const accounts = await seedDemoData(app.dataSource, options);
    const first = await countSeedRows(app.dataSource);
    await seedDemoData(app.dataSource, options);
    const second = await countSeedRows(app.dataSource);

    expect(second).toEqual(first);
    const rules = DOCTORS.reduce(
      (n, d) => n + d.hours.reduce((m, [days]) => m + days.length, 0),
      0,
    );
    expect(first).toEqual({
      specialties: SPECIALTIES.length,
      doctors: 12,
      // Consultation and a repeat prescription each; every other doctor a new-patient visit.
      visitTypes: 12 * 2 + 6,
      patients: PATIENTS.length,
      admins: 1,
      availabilityRules: rules,
      doctorSpecialties: DOCTORS.reduce((n, d) => n + d.specialties.length, 0),
      appointments: { completed: 4, confirmed: 4, pending_payment: 2 },
      statusChanges: APPOINTMENTS.length + 4,
    });
    expect(accounts).toHaveLength(1 + DOCTORS.length + PATIENTS.length);
    expect(new Set(DOCTORS.map((d) => d.timezone)).size).toBeGreaterThanOrEqual(5);
  });

  it('makes accounts that sign in and doctors the API shows with free slots', async () => {
    await seedDemoData(app.dataSource, {
      password: PASSWORD,
      holdMinutes: app.config.booking.holdMinutes,
    });
    const patient = await login(app, seedEmail('ada.lovelace'), PASSWORD);
    const mine = await app.http
      .get('/api/v1/appointments')
      .set(bearer(patient.accessToken))
      .expect(200);
    expect(mine.body.items.map((a: { status: string }) => a.status).sort()).toEqual([
      'completed',
      'confirmed',
      'pending_payment',
    ]);

    const found = await app.http.get('/api/v1/doctors').query({ q: 'Sato Hiroshi' }).expect(200);
    const sato = found.body.items.find((d: { lastName: string }) => d.lastName === 'Sato');
    expect(sato).toMatchObject({
      timezone: 'Asia/Tokyo',
      consultationFee: { amount: '6000', currency: 'JPY' },
      specialties: [{ name: 'Orthopedics' }],
    });
    expect(sato.nextAvailableAt).not.toBeNull();

    const doctor = await login(app, seedEmail('lukas.weber'), PASSWORD);
    expect(doctor.user.role).toBe('doctor');
    const admin = await login(app, seedEmail('admin'), PASSWORD);
    expect(admin.user.role).toBe('admin');
  });

  it('refuses NODE_ENV=production unless forced', () => {
    expect(seedRefusal({ NODE_ENV: 'production' }, [])).toMatch(/Refusing to seed/);
    expect(seedRefusal({ NODE_ENV: 'production' }, ['--force'])).toBeNull();
    expect(seedRefusal({ NODE_ENV: 'production', SEED_FORCE: 'true' }, [])).toBeNull();
    expect(seedRefusal({ NODE_ENV: 'development' }, [])).toBeNull();
  });
});
