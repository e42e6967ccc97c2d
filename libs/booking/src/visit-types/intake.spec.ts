import { ErrorCode, FieldError, ValidationError } from '@app/common';
import type { IntakeQuestion } from '@app/database';
import { questionErrors, validateAnswers } from './intake';

const QUESTIONS: IntakeQuestion[] = [
  { key: 'symptoms', label: 'What brings you in?', kind: 'text', required: true },
  { key: 'history', label: 'Medical history', kind: 'long_text', required: false },
  {
    key: 'insurance',
    label: 'Insurance',
    kind: 'single_choice',
    required: false,
    options: ['public', 'private'],
  },
  {
    key: 'areas',
    label: 'Where does it hurt?',
    kind: 'multi_choice',
    required: false,
    options: ['head', 'back', 'knee'],
  },
  { key: 'first_visit', label: 'First visit?', kind: 'boolean', required: false },
  { key: 'since', label: 'Since when?', kind: 'date', required: false },
];

/** The field errors `validateAnswers` throws for `answers`, or fails if it does not throw. */
function errorsOf(answers: unknown, questions: IntakeQuestion[] = QUESTIONS): FieldError[] {
  try {
    validateAnswers(questions, answers);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCode.VALIDATION_FAILED);
    return (error as ValidationError).details.errors ?? [];
  }
  throw new Error('validateAnswers accepted the answers');
}

const valid = { symptoms: 'Headache' };

describe(validateAnswers.name, () => {
  it('returns the answers with the labels of now, in question order, strings trimmed', () => {
    const answers = validateAnswers(QUESTIONS, {
      since: '2027-02-28',
      first_visit: false,
      areas: ['knee', 'head'],
      insurance: 'private',
      history: 'x'.repeat(4000),
      symptoms: '  Headache  ',
    });
    expect(answers).toEqual([
      { key: 'symptoms', label: 'What brings you in?', value: 'Headache' },
      { key: 'history', label: 'Medical history', value: 'x'.repeat(4000) },
      { key: 'insurance', label: 'Insurance', value: 'private' },
      { key: 'areas', label: 'Where does it hurt?', value: ['knee', 'head'] },
      { key: 'first_visit', label: 'First visit?', value: false },
      { key: 'since', label: 'Since when?', value: '2027-02-28' },
    ]);
  });

  it('accepts no answers when nothing is required, and skips optional ones left out', () => {
    const optional = QUESTIONS.map((question) => ({ ...question, required: false }));
    expect(validateAnswers(optional, undefined)).toEqual([]);
    expect(validateAnswers(optional, null)).toEqual([]);
    expect(validateAnswers(optional, {})).toEqual([]);
    expect(validateAnswers(QUESTIONS, { symptoms: 'Cough', since: null })).toEqual([
      { key: 'symptoms', label: 'What brings you in?', value: 'Cough' },
    ]);
    expect(validateAnswers([], undefined)).toEqual([]);
  });

  it('accepts text of exactly 500 and long_text of exactly 4000 characters', () => {
    expect(validateAnswers(QUESTIONS, { symptoms: 'a'.repeat(500) })[0].value).toHaveLength(500);
    expect(
      validateAnswers(QUESTIONS, { ...valid, history: 'b'.repeat(4000) })[1].value,
    ).toHaveLength(4000);
  });

  // Each answer carries a marker that must never appear in a message: answers are health data.
  const SECRET = 'zq-secret-answer';
  const malformed: [string, string, unknown][] = [
    ['text: a number', 'symptoms', 42],
    ['text: an array', 'symptoms', [SECRET]],
    ['text: over 500 characters', 'symptoms', `${SECRET}${'a'.repeat(500)}`],
    ['text: blank when required', 'symptoms', '   '],
    ['long_text: a boolean', 'history', true],
    ['long_text: over 4000 characters', 'history', `${SECRET}${'b'.repeat(4000)}`],
    ['single_choice: an option not offered', 'insurance', SECRET],
    ['single_choice: an array', 'insurance', ['public']],
    ['single_choice: different case', 'insurance', 'Public'],
    ['multi_choice: empty', 'areas', []],
    ['multi_choice: a string, not an array', 'areas', 'head'],
    ['multi_choice: an option not offered', 'areas', ['head', SECRET]],
    ['multi_choice: a non-string item', 'areas', ['head', 7]],
    ['multi_choice: an option given twice', 'areas', ['back', 'back']],
    ['boolean: the string "true"', 'first_visit', 'true'],
    ['boolean: 1', 'first_visit', 1],
    ['date: February 30th', 'since', '2027-02-30'],
    ['date: month 13', 'since', '2027-13-01'],
    ['date: not zero-padded', 'since', '2027-2-03'],
    ['date: a full timestamp', 'since', '2027-02-03T10:00:00Z'],
    ['date: free text', 'since', `${SECRET} last week`],
    ['date: a number', 'since', 20270203],
    ['unknown key', 'allergies', SECRET],
  ];

  it.each(malformed)('refuses %s with the field answers.<key>', (_what, key, value) => {
    const errors = errorsOf({ ...valid, [key]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe(`answers.${key}`);
    expect(errors[0].message).not.toContain(SECRET);
    // (Short values such as "true" may coincide with words of a message.)
    if (String(value).length > 5) expect(errors[0].message).not.toContain(String(value));
  });

  it('never repeats an answer in the error message as a whole', () => {
    try {
      validateAnswers(QUESTIONS, { symptoms: `${SECRET}${'a'.repeat(501)}`, since: SECRET });
      throw new Error('accepted');
    } catch (error) {
      expect((error as Error).message).not.toContain(SECRET);
      expect(JSON.stringify((error as ValidationError).details)).not.toContain(SECRET);
    }
  });

  it('reports a missing required answer (absent or null) under its key', () => {
    expect(errorsOf({})).toEqual([{ field: 'answers.symptoms', message: expect.any(String) }]);
    expect(errorsOf({ symptoms: null })).toEqual([
      { field: 'answers.symptoms', message: expect.any(String) },
    ]);
    expect(errorsOf(undefined)).toEqual([
      { field: 'answers.symptoms', message: expect.any(String) },
    ]);
  });

  it('reports every bad answer at once, one field each', () => {
    const errors = errorsOf({
      history: 5,
      insurance: 'none',
      areas: [],
      since: '2027-02-30',
      x: 1,
    });
    expect(errors.map((error) => error.field).sort()).toEqual(
      [
        'answers.areas',
        'answers.history',
        'answers.insurance',
        'answers.since',
        'answers.symptoms',
        'answers.x',
      ].sort(),
    );
  });

  it.each([
    ['an array', ['Headache']],
    ['a string', 'Headache'],
    ['a number', 3],
  ])('refuses answers that are %s, not an object', (_what, answers) => {
    expect(errorsOf(answers)).toEqual([{ field: 'answers', message: expect.any(String) }]);
  });

  it('accepts a leap day only in a leap year', () => {
    expect(validateAnswers(QUESTIONS, { ...valid, since: '2028-02-29' })[1]).toEqual({
      key: 'since',
      label: 'Since when?',
      value: '2028-02-29',
    });
    expect(errorsOf({ ...valid, since: '2027-02-29' })[0].field).toBe('answers.since');
  });
});

describe(questionErrors.name, () => {
  const text = (key: string) => ({ key, label: key, kind: 'text' as const });

  it('accepts a well-formed set of questions', () => {
    expect(questionErrors(QUESTIONS)).toEqual([]);
    expect(questionErrors([])).toEqual([]);
    expect(questionErrors(Array.from({ length: 20 }, (_, i) => text(`q${i}`)))).toEqual([]);
  });

  it('refuses more than 20 questions', () => {
    const errors = questionErrors(Array.from({ length: 21 }, (_, i) => text(`q${i}`)));
    expect(errors.map((error) => error.field)).toEqual(['questions']);
  });

  it('refuses a key used twice, at the second use', () => {
    expect(questionErrors([text('a'), text('b'), text('a')]).map((e) => e.field)).toEqual([
      'questions.2.key',
    ]);
  });

  it('refuses options on a question that is not a choice', () => {
    for (const kind of ['text', 'long_text', 'boolean', 'date'] as const) {
      expect(
        questionErrors([{ key: 'a', label: 'A', kind, options: ['x', 'y'] }]).map((e) => e.field),
      ).toEqual(['questions.0.options']);
    }
    expect(questionErrors([{ key: 'a', label: 'A', kind: 'text', options: [] }])).toEqual([]);
  });

  it('wants 2 to 20 distinct options on a choice', () => {
    for (const kind of ['single_choice', 'multi_choice'] as const) {
      const fields = (options?: string[]) =>
        questionErrors([{ key: 'a', label: 'A', kind, options }]).map((e) => e.field);
      expect(fields(undefined)).toEqual(['questions.0.options']);
      expect(fields(['only'])).toEqual(['questions.0.options']);
      expect(fields(Array.from({ length: 21 }, (_, i) => `o${i}`))).toEqual([
        'questions.0.options',
      ]);
      expect(fields(['x', 'x'])).toEqual(['questions.0.options']);
      expect(fields(['x', 'y'])).toEqual([]);
      expect(fields(Array.from({ length: 20 }, (_, i) => `o${i}`))).toEqual([]);
    }
  });
});
