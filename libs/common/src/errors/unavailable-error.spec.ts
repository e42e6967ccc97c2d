import { QueryFailedError } from 'typeorm';
import { isUnavailableError } from './problem.filter';

describe(isUnavailableError.name, () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['an admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a query on a broken client',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'a query on a released runner',
      Object.assign(
        new Error('Database connection provided by a query runner was already released'),
        {
          name: 'QueryRunnerProviderAlreadyReleasedError',
        },
      ),
    ],
    ['a query on a closed client', new Error('Client was closed and is not queryable')],
    [
      'a driver error inside TypeORM',
      new QueryFailedError('SELECT 1', [], Object.assign(new Error('x'), { code: '57P03' })),
    ],
  ])('is true for %s', (_, error) => {
    expect(isUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', Object.assign(new Error('duplicate'), { code: '23505' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isUnavailableError(error)).toBe(false);
  });
});
