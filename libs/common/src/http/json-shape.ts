import { FieldError } from '../errors/domain-error';

/** No request body of this API comes near it; deeper ones would overflow the validator's stack. */
export const MAX_JSON_DEPTH = 32;

// The validator lets names of Object.prototype members through its whitelist.
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * What is wrong with the shape of a parsed JSON body: nesting deeper than `maxDepth` or a
 * key that names an Object.prototype member. Iterative, so any depth is safe to inspect.
 */
export function jsonShapeProblem(body: unknown, maxDepth = MAX_JSON_DEPTH): FieldError | null {
  const pending: { value: unknown; depth: number; path: string }[] = [
    { value: body, depth: 0, path: '' },
  ];
  while (pending.length > 0) {
    const { value, depth, path } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth)
      return { field: path || 'body', message: `nests deeper than ${maxDepth} levels` };
    const isArray = Array.isArray(value);
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (!isArray && RESERVED_KEYS.has(key)) return { field, message: `${key} is not allowed` };
      pending.push({
        value: (value as Record<string, unknown>)[key],
        depth: depth + 1,
        path: field,
      });
    }
  }
  return null;
}
