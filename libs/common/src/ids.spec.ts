import { isUuid } from './ids';

describe(isUuid.name, () => {
  it('accepts a UUID in either case', () => {
    expect(isUuid('3f0c2b8e-5b7a-4f0e-9a51-2d7c9e6b1a40')).toBe(true);
    expect(isUuid('3F0C2B8E-5B7A-4F0E-9A51-2D7C9E6B1A40')).toBe(true);
  });

  it('refuses anything else, including near misses and non-strings', () => {
    expect(isUuid('3f0c2b8e-5b7a-4f0e-9a51-2d7c9e6b1a4')).toBe(false);
    expect(isUuid(' 3f0c2b8e-5b7a-4f0e-9a51-2d7c9e6b1a40')).toBe(false);
    expect(isUuid('3f0c2b8e5b7a4f0e9a512d7c9e6b1a40')).toBe(false);
    expect(isUuid(['3f0c2b8e-5b7a-4f0e-9a51-2d7c9e6b1a40'] as unknown as string)).toBe(false);
  });
});
