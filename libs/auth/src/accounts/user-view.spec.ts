import { User, UserRole } from '@app/database';
import { toUserView } from './user-view';

describe(toUserView.name, () => {
  it('keeps the public fields and drops the password hash and token version', () => {
    const user = Object.assign(new User(), {
      id: '7a1c1f7e-0d7e-4a35-9f0e-8f5b3b1d2c11',
      email: 'ada@example.com',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      role: UserRole.Patient,
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      timezone: 'Europe/London',
      emailVerifiedAt: null,
      deactivatedAt: null,
      tokenVersion: 3,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-02T00:00:00Z'),
    });

    const view = toUserView(user);

    expect(view).toEqual({
      id: user.id,
      email: 'ada@example.com',
      role: UserRole.Patient,
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      timezone: 'Europe/London',
      emailVerifiedAt: null,
      deactivatedAt: null,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    });
    expect(JSON.stringify(view)).not.toMatch(/argon2|passwordHash|tokenVersion/);
  });
});
