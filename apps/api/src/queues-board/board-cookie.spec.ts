import { readCookie, serializeCookie } from './board-cookie';

describe('readCookie', () => {
  it('finds a cookie among others, whatever the spacing', () => {
    expect(readCookie('a=1; da_board_session=abc.def.ghi;b=2', 'da_board_session')).toBe(
      'abc.def.ghi',
    );
    expect(readCookie('da_board_session="quoted"', 'da_board_session')).toBe('quoted');
  });

  it('matches the whole name only', () => {
    expect(
      readCookie('x_da_board_session=1; da_board_session_x=2', 'da_board_session'),
    ).toBeUndefined();
    expect(readCookie(undefined, 'da_board_session')).toBeUndefined();
    expect(readCookie('da_board_session', 'da_board_session')).toBeUndefined();
  });
});

describe('serializeCookie', () => {
  it('is always HttpOnly and SameSite=Strict, Secure only when asked', () => {
    const options = { path: '/admin/queues', maxAgeSeconds: 900 };
    expect(serializeCookie('s', 'v', { ...options, secure: false })).toBe(
      's=v; Path=/admin/queues; Max-Age=900; HttpOnly; SameSite=Strict',
    );
    expect(serializeCookie('s', 'v', { ...options, secure: true })).toMatch(/; Secure$/);
  });
});
