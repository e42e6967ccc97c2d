import { randomBytes } from 'node:crypto';
import { hashPassword } from '@app/auth';
import { User, UserRole } from '@app/database';
import { EventType } from '@app/queues';
import { tokenFromEmail } from './smtp-sink';
import { TestApp } from './test-app';
import { waitFor } from './wait-for';

/** A user as the API returns it. */
export interface ApiUser {
  id: string;
  email: string;
  role: UserRole;
  firstName: string;
  lastName: string;
  phone: string | null;
  timezone: string;
  emailVerifiedAt: string | null;
  deactivatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A signed-in test user with the credentials it was created with. */
export interface TestUser {
  user: ApiUser;
  accessToken: string;
  refreshToken: string;
  email: string;
  password: string;
}

export interface RegisterBody {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  phone?: string;
  timezone?: string;
  locale?: string;
}

export interface CreateDoctorBody {
  email: string;
  firstName: string;
  lastName: string;
  password?: string;
  specialtyIds?: string[];
  timezone?: string;
}

export const DEFAULT_TEST_PASSWORD = 'correct horse battery staple';

/** A fresh address that no other test (or run) uses. */
export function uniqueEmail(label = 'user'): string {
  return `${label}.${Date.now().toString(36)}${randomBytes(4).toString('hex')}@example.com`;
}

/** `{ Authorization: 'Bearer …' }` for supertest's `.set()`. */
export function bearer(accessToken: string): { Authorization: string } {
  return { Authorization: `Bearer ${accessToken}` };
}

/** POST /auth/login; fails the test unless it answers 200. */
export async function login(
  app: TestApp,
  email: string,
  password: string,
): Promise<{ user: ApiUser; accessToken: string; refreshToken: string; expiresIn: number }> {
  const res = await app.http.post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}: ${res.text}`);
  return res.body;
}

/** Registers a patient through the API and signs in. */
export async function registerAndLogin(
  app: TestApp,
  overrides: Partial<RegisterBody> = {},
): Promise<TestUser> {
  const body: RegisterBody = {
    email: uniqueEmail('patient'),
    password: DEFAULT_TEST_PASSWORD,
    firstName: 'Pat',
    lastName: 'Ient',
    ...overrides,
  };
  const res = await app.http.post('/api/v1/auth/register').send(body);
  if (res.status !== 201)
    throw new Error(`register ${body.email} answered ${res.status}: ${res.text}`);
  const session = await login(app, body.email, body.password);
  return { ...session, email: body.email, password: body.password };
}

/** Inserts an active, verified user of any role straight into the database. */
export async function insertUser(
  app: TestApp,
  overrides: Partial<Pick<User, 'email' | 'role' | 'firstName' | 'lastName' | 'timezone'>> & {
    password?: string;
  } = {},
): Promise<{ id: string; email: string; password: string }> {
  const { password = DEFAULT_TEST_PASSWORD, ...fields } = overrides;
  const email = fields.email ?? uniqueEmail(fields.role ?? 'user');
  const result = await app.dataSource.getRepository(User).insert({
    firstName: 'Test',
    lastName: 'User',
    ...fields,
    email,
    passwordHash: await hashPassword(password),
    emailVerifiedAt: new Date(),
  });
  return { id: result.identifiers[0].id as string, email, password };
}

/** A new admin (inserted directly: admins cannot register) signed in through the API. */
export async function loginAdmin(app: TestApp): Promise<TestUser> {
  const { email, password } = await insertUser(app, {
    role: UserRole.Admin,
    firstName: 'Ad',
    lastName: 'Min',
  });
  const session = await login(app, email, password);
  return { ...session, email, password };
}

/**
 * Creates a doctor through POST /admin/doctors (with a password) and signs in as them.
 * `adminToken` defaults to a freshly created admin's.
 */
export async function createDoctor(
  app: TestApp,
  adminToken?: string,
  overrides: Partial<CreateDoctorBody> = {},
): Promise<TestUser> {
  const token = adminToken ?? (await loginAdmin(app)).accessToken;
  const body: CreateDoctorBody = {
    email: uniqueEmail('doctor'),
    password: DEFAULT_TEST_PASSWORD,
    firstName: 'Doc',
    lastName: 'Tor',
    ...overrides,
  };
  if (!body.password) throw new Error('createDoctor signs in, so it needs a password');
  const res = await app.http.post('/api/v1/admin/doctors').set(bearer(token)).send(body);
  if (res.status !== 201)
    throw new Error(`create doctor ${body.email} answered ${res.status}: ${res.text}`);
  const session = await login(app, body.email, body.password);
  return { ...session, email: body.email, password: body.password };
}

/**
 * The token carried by the latest `type` event of a user in the outbox: the emailed token,
 * read where the notification pipeline reads it.
 */
export async function latestEventToken(
  app: TestApp,
  type:
    | EventType.EmailVerificationRequested
    | EventType.PasswordResetRequested
    | EventType.DoctorInvited,
  userId: string,
): Promise<string> {
  const rows: { id: string; token: string | null }[] = await app.dataSource.query(
    `SELECT id, payload->>'token' AS token FROM outbox_events
      WHERE type = $1 AND aggregate_id = $2 ORDER BY created_at DESC LIMIT 1`,
    [type, userId],
  );
  if (!rows[0]) throw new Error(`No ${type} event for user ${userId}`);
  if (rows[0].token) return rows[0].token;
  // Dispatched already, so the event no longer holds it: read it from the email it caused.
  const eventId = rows[0].id;
  const notificationId = await waitFor(
    async () => {
      const found: { id: string }[] = await app.dataSource.query(
        `SELECT id FROM notifications WHERE event_id = $1 AND channel = 'email'`,
        [eventId],
      );
      return found[0]?.id ?? null;
    },
    { what: `the email of ${type} event ${eventId}` },
  );
  const mail = await app.smtp.waitForMessage(
    (m) => m.headers.get('x-notification-id') === notificationId,
  );
  return tokenFromEmail(mail);
}
