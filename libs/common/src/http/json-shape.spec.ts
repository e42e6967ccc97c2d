import { jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

describe(jsonShapeProblem.name, () => {
  it('accepts ordinary bodies, scalars and no body', () => {
    expect(
      jsonShapeProblem({ rules: [{ dayOfWeek: 1, startTime: '09:00' }], reason: 'x' }),
    ).toBeNull();
    expect(jsonShapeProblem(undefined)).toBeNull();
    expect(jsonShapeProblem('text')).toBeNull();
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses nesting past the limit, however deep, naming where', () => {
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH + 1))).toMatchObject({
      field: expect.stringMatching(/^a(\.a)+$/),
    });
    expect(jsonShapeProblem({ password: nested(100_000) })).toMatchObject({
      message: expect.stringContaining('deeper'),
    });
  });

  it('refuses keys that name Object.prototype members, at any level', () => {
    expect(jsonShapeProblem(JSON.parse('{"name":"x","prototype":1}'))).toEqual({
      field: 'prototype',
      message: 'prototype is not allowed',
    });
    expect(jsonShapeProblem({ a: [{ constructor: 1 }] })).toMatchObject({
      field: 'a.0.constructor',
    });
    expect(jsonShapeProblem({ toString: 'x' })).toMatchObject({ field: 'toString' });
    expect(jsonShapeProblem({ items: ['constructor'] })).toBeNull();
  });
});
