import { randomUUID } from 'node:crypto';
import { User, UserRole } from '@app/database';
import { EventType, recordEvents } from '@app/queues';
import { tokenFromEmail } from './support/smtp-sink';
import { TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('Notification pipeline (outbox → relay → worker → SMTP)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.close();
  });

  async function createUser(): Promise<User> {
    const repo = app.dataSource.getRepository(User);
    return repo.save(
      repo.create({
        email: `pipeline-${randomUUID()}@example.test`,
        firstName: 'Pia',
        lastName: 'Pipeline',
        role: UserRole.Patient,
        timezone: 'Europe/Berlin',
      }),
    );
  }

  it('emails what a committed transaction recorded, once, with a stable X-Notification-Id', async () => {
    const user = await createUser();
    const token = randomUUID().replace(/-/g, '');
    const [eventId] = await app.dataSource.transaction((manager) =>
      recordEvents(manager, [
        { type: EventType.EmailVerificationRequested, payload: { userId: user.id, token } },
      ]),
    );

    const mail = await app.smtp.waitForMessage((m) => m.to.includes(user.email));
    expect(mail.subject).toBe('Confirm your email address');
    expect(tokenFromEmail(mail)).toBe(token);
    expect(mail.text).toContain(`${app.config.frontendUrl}/verify-email?token=${token}`);
    expect(mail.html).toContain('<!doctype html>');
    const notificationId = mail.headers.get('x-notification-id');
    expect(notificationId).toMatch(/^[0-9a-f-]{36}$/);

    // Relaying the same event again (as after a crash before it was marked) sends nothing new.
    await app.dataSource.query(
      "UPDATE outbox_events SET state = 'pending', published_at = NULL WHERE id = $1",
      [eventId],
    );
    await waitFor(async () => {
      const [row] = await app.dataSource.query(
        'SELECT published_at FROM outbox_events WHERE id = $1',
        [eventId],
      );
      return row.published_at !== null;
    });
    const rows = await app.dataSource.query(
      "SELECT status, sent_at FROM notifications WHERE event_id = $1 AND channel = 'email'",
      [eventId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('sent');
    expect(app.smtp.to(user.email)).toHaveLength(1);
  });

  it('does not relay what a rolled-back transaction recorded', async () => {
    const user = await createUser();
    await expect(
      app.dataSource.transaction(async (manager) => {
        await recordEvents(manager, [
          {
            type: EventType.PasswordResetRequested,
            payload: { userId: user.id, token: 'never-sent' },
          },
        ]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const [{ count }] = await app.dataSource.query(
      "SELECT count(*)::int AS count FROM outbox_events WHERE payload->>'userId' = $1",
      [user.id],
    );
    expect(count).toBe(0);
  });
});
