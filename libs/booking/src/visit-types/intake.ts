import { FieldError, ValidationError } from '@app/common';
import type { IntakeAnswer, IntakeQuestion, QuestionKind } from '@app/database';

export const QUESTION_KINDS: readonly QuestionKind[] = [
  'text',
  'long_text',
  'single_choice',
  'multi_choice',
  'boolean',
  'date',
];
export const QUESTION_KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_QUESTIONS = 20;
const TEXT_MAX = 500;
const LONG_TEXT_MAX = 4000;
/** A question as a doctor sends it: `required` defaults to false. */
export type QuestionInput = Omit<IntakeQuestion, 'required'> & { required?: boolean };

const CHOICE_KINDS = new Set<QuestionKind>(['single_choice', 'multi_choice']);

/** Rules that span questions (unique keys, options only where they belong), as field errors. */
export function questionErrors(questions: QuestionInput[]): FieldError[] {
  const errors: FieldError[] = [];
  if (questions.length > MAX_QUESTIONS)
    errors.push({ field: 'questions', message: `at most ${MAX_QUESTIONS} questions` });
  const seen = new Set<string>();
  questions.forEach((question, i) => {
    const field = `questions.${i}`;
    if (seen.has(question.key))
      errors.push({ field: `${field}.key`, message: `key "${question.key}" is used twice` });
    seen.add(question.key);
    const options = question.options;
    if (CHOICE_KINDS.has(question.kind)) {
      if (!options || options.length < 2 || options.length > 20)
        errors.push({ field: `${field}.options`, message: 'a choice needs 2 to 20 options' });
      else if (new Set(options).size !== options.length)
        errors.push({ field: `${field}.options`, message: 'options must be distinct' });
    } else if (options !== undefined && options.length > 0) {
      errors.push({
        field: `${field}.options`,
        message: 'options are for single_choice and multi_choice only',
      });
    }
  });
  return errors;
}

/** A question as stored: defaults filled in, options only on choices. */
export function normalizeQuestion(question: QuestionInput): IntakeQuestion {
  return {
    key: question.key,
    label: question.label.trim(),
    kind: question.kind,
    required: question.required ?? false,
    ...(CHOICE_KINDS.has(question.kind) ? { options: question.options } : {}),
  };
}

/**
 * Checks a patient's answers against the type's questions and returns them with the labels
 * of this moment; every problem is a field error `answers.<key>`. Messages never repeat the
 * answer itself: it is health data.
 */
export function validateAnswers(questions: IntakeQuestion[], raw: unknown): IntakeAnswer[] {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw)))
    throw ValidationError.field('answers', 'answers must be an object keyed by question key');
  const given = (raw ?? {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const known = new Map(questions.map((question) => [question.key, question]));
  for (const key of Object.keys(given)) {
    if (!known.has(key))
      errors.push({ field: `answers.${key}`, message: 'no such question for this visit type' });
  }
  const answers: IntakeAnswer[] = [];
  for (const question of questions) {
    const field = `answers.${question.key}`;
    const value = given[question.key];
    if (value === undefined || value === null) {
      if (question.required) errors.push({ field, message: 'an answer is required' });
      continue;
    }
    const problem = answerProblem(question, value);
    if (problem) errors.push({ field, message: problem });
    else answers.push({ key: question.key, label: question.label, value: normalize(value) });
  }
  if (errors.length > 0)
    throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return answers;
}

function answerProblem(question: IntakeQuestion, value: unknown): string | null {
  switch (question.kind) {
    case 'text':
    case 'long_text': {
      const max = question.kind === 'text' ? TEXT_MAX : LONG_TEXT_MAX;
      if (typeof value !== 'string') return 'must be a string';
      if (question.required && value.trim() === '') return 'an answer is required';
      return value.length > max ? `must be at most ${max} characters` : null;
    }
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? null
        : 'must be a date YYYY-MM-DD';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'single_choice':
      return typeof value === 'string' && (question.options ?? []).includes(value)
        ? null
        : 'must be one of the options offered';
    case 'multi_choice':
      if (!Array.isArray(value) || value.length === 0)
        return 'must be a non-empty array of options';
      if (!value.every((item) => typeof item === 'string' && question.options?.includes(item)))
        return 'every item must be one of the options offered';
      return new Set(value).size === value.length ? null : 'an option is given twice';
  }
}

function normalize(value: unknown): IntakeAnswer['value'] {
  if (typeof value === 'string') return value.trim();
  return value as IntakeAnswer['value'];
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
