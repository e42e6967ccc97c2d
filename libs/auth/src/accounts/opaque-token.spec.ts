import { generateOpaqueToken, hashOpaqueToken } from './opaque-token';

describe('opaque tokens', () => {
  it('generates 256-bit URL-safe tokens that differ every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => generateOpaqueToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('hashes to a stable sha256 hex digest that does not contain the token', () => {
    const token = generateOpaqueToken();
    const digest = hashOpaqueToken(token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOpaqueToken(token)).toBe(digest);
    expect(digest).not.toContain(token);
    expect(hashOpaqueToken(`${token}x`)).not.toBe(digest);
  });

  it('matches the sha256 test vector', () => {
    expect(hashOpaqueToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
