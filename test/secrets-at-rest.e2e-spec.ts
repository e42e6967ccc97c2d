import { bearer, loginAdmin, uniqueEmail } from './support/auth-helpers';
import { tokenFromEmail } from './support/smtp-sink';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** Every row of every table of the schema, as text. */
async function everyRow(app: TestApp): Promise<string[]> {
  const tables: { name: string }[] = await app.dataSource.query(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
  );
  const rows: string[] = [];
  for (const { name } of tables) {
    const found: { row: string }[] = await app.dataSource.query(
      `SELECT row_to_json(t)::text AS row FROM "${name}" t`,
    );
    rows.push(...found.map((r) => `${name}: ${r.row}`));
  }
  return rows;
}

describe('Secrets at rest', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.close();
  });

  it('keeps no raw verification, reset or invitation token once their emails are sent', async () => {
    const patient = uniqueEmail('patient');
    await app.http
      .post('/api/v1/auth/register')
      .send({ email: patient, password: 'a long password', firstName: 'Pat', lastName: 'Ient' })
      .expect(201);
    await app.http.post('/api/v1/auth/forgot-password').send({ email: patient }).expect(202);
    const admin = await loginAdmin(app);
    const doctor = uniqueEmail('doctor');
    await app.http
      .post('/api/v1/admin/doctors')
      .set(bearer(admin.accessToken))
      .send({ email: doctor, firstName: 'Dee', lastName: 'Octor' })
      .expect(201);

    const tokens = [
      tokenFromEmail(
        await app.smtp.waitForMessage((m) => m.to.includes(patient) && /Confirm/.test(m.subject)),
      ),
      tokenFromEmail(
        await app.smtp.waitForMessage((m) => m.to.includes(patient) && /Reset/.test(m.subject)),
      ),
      tokenFromEmail(await app.smtp.waitForMessage((m) => m.to.includes(doctor))),
    ];
    expect(new Set(tokens).size).toBe(3);

    // The event rows lose their token once dispatched, the notifications once sent.
    const leaks = await waitFor(
      async () => {
        const rows = await everyRow(app);
        const found = rows.filter((row) => tokens.some((token) => row.includes(token)));
        return found.length === 0 ? found : null;
      },
      { what: 'no table to hold a raw token' },
    ).catch(async () =>
      (await everyRow(app)).filter((row) => tokens.some((token) => row.includes(token))),
    );
    expect(leaks).toEqual([]);

    // The stored hashes still verify the tokens.
    await app.http.post('/api/v1/auth/verify-email').send({ token: tokens[0] }).expect(204);
  });
});
