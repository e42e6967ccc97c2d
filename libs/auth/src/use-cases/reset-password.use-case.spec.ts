import type { DataSource } from 'typeorm';
import { InvalidOneTimeTokenError } from '../accounts/account.errors';
import { consumeOneTimeToken } from '../accounts/one-time-tokens';
import { hashPassword } from '../accounts/password';
import { ResetPassword } from './reset-password.use-case';

jest.mock('../accounts/password', () => ({ hashPassword: jest.fn() }));
jest.mock('../accounts/one-time-tokens', () => ({
  consumeOneTimeToken: jest.fn(),
  expireOneTimeTokens: jest.fn(),
}));
jest.mock('../accounts/refresh-tokens', () => ({ revokeAllRefreshTokens: jest.fn() }));

describe(ResetPassword.name, () => {
  let steps: string[];
  let useCase: ResetPassword;

  beforeEach(() => {
    steps = [];
    jest.mocked(hashPassword).mockImplementation(async () => {
      steps.push('hash');
      return 'argon2id-hash';
    });
    const query = {
      update: () => query,
      set: () => query,
      where: () => query,
      execute: async () => steps.push('update user'),
    };
    const manager = { createQueryBuilder: () => query };
    const db = {
      transaction: (work: (m: typeof manager) => Promise<void>) => work(manager),
    } as unknown as DataSource;
    useCase = new ResetPassword(db);
  });

  it('refuses an invalid token without paying for a password hash', async () => {
    jest.mocked(consumeOneTimeToken).mockImplementation(async () => {
      steps.push('consume token');
      return null;
    });

    await expect(
      useCase.execute({ token: 'unknown', password: 'a new long password' }),
    ).rejects.toBeInstanceOf(InvalidOneTimeTokenError);

    expect(steps).toEqual(['consume token']);
  });

  it('consumes a valid token first, then hashes the new password once and stores it', async () => {
    jest.mocked(consumeOneTimeToken).mockImplementation(async () => {
      steps.push('consume token');
      return 'user-id';
    });

    await useCase.execute({ token: 'valid', password: 'a new long password' });

    expect(steps).toEqual(['consume token', 'hash', 'update user']);
    expect(hashPassword).toHaveBeenCalledWith('a new long password');
  });
});
