import * as argon2 from 'argon2';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** argon2id with the OWASP baseline (19 MiB, 2 passes): strong, yet cheap enough for 2 cores. */
const HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/**
 * True when `password` matches `hash`. A missing hash (unknown email, invitation not
 * accepted yet) still costs one verification, so timing does not tell which emails exist.
 */
export async function verifyPassword(
  hash: string | null | undefined,
  password: string,
): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password');
  const target = hash ?? (await dummyHash);
  try {
    const matches = await argon2.verify(target, password);
    return matches && Boolean(hash);
  } catch {
    return false;
  }
}
