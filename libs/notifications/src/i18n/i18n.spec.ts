import { IntlMessageFormat } from 'intl-messageformat';
import { Locale } from '@app/database';
import { CATALOGUES, LOCALES, MessageFormatError, Translator } from './translator';

type Tree = { [key: string]: string | Tree };

/** Every message of a catalogue by its dotted key. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

interface AstNode {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstNode[] }>;
}
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6]); // argument, number, date, time, select, plural
const KIND = ['', 'text', 'number', 'date', 'time', 'select', 'plural'];

/** The ICU arguments a message needs, as `name:kind`, with select/plural cases. */
function argumentsOf(message: string, locale: string): string[] {
  const found = new Set<string>();
  const walk = (nodes: AstNode[]) => {
    for (const node of nodes) {
      if (ARGUMENT_TYPES.has(node.type)) found.add(`${String(node.value)}:${KIND[node.type]}`);
      if (node.type === 5)
        found.add(`${String(node.value)}:cases=${Object.keys(node.options ?? {}).sort()}`);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as AstNode[]);
  return [...found].sort();
}

/** Sample values for every argument: numbers for plurals, a case name for selects. */
function samplesFor(message: string, locale: string): Record<string, string | number> {
  return Object.fromEntries(
    argumentsOf(message, locale)
      .filter((a) => !a.includes(':cases='))
      .map((a) => {
        const [name, kind] = a.split(':');
        return [name, kind === 'plural' || kind === 'number' ? 2 : `<${name}>`];
      }),
  );
}

const reference = flatten(CATALOGUES[Locale.En] as unknown as Tree);

describe('message catalogues', () => {
  const translator = new Translator();

  describe.each(LOCALES.filter((l) => l !== Locale.En))('%s', (locale) => {
    const catalogue = flatten(CATALOGUES[locale] as unknown as Tree);

    it('has every key of the English catalogue, and no other', () => {
      expect([...catalogue.keys()].sort()).toEqual([...reference.keys()].sort());
    });

    it('asks for the same ICU arguments as English in every message', () => {
      for (const [key, english] of reference) {
        const translated = catalogue.get(key) ?? '';
        expect({ key, args: argumentsOf(translated, locale) }).toEqual({
          key,
          args: argumentsOf(english, Locale.En),
        });
      }
    });

    it('is translated, not copied: most messages differ from English', () => {
      const same = [...reference].filter(([key, english]) => catalogue.get(key) === english);
      // Names and words shared across languages ("Status", "Dr. {lastName}") may repeat.
      expect(same.length).toBeLessThan(reference.size / 10);
    });
  });

  it.each(LOCALES)('renders every %s message with every placeholder filled', (locale) => {
    const m = translator.for(locale);
    for (const [key, english] of reference) {
      const text = m.t(key as never, samplesFor(english, Locale.En));
      expect({ key, text }).not.toEqual({ key, text: expect.stringMatching(/[{}]/) });
      expect(text.trim()).not.toBe('');
    }
  });

  it('refuses to write a message whose value is missing', () => {
    const m = translator.for(Locale.De);
    expect(() => m.t('appointment.confirmed.heading')).toThrow(MessageFormatError);
    expect(m.t('appointment.confirmed.heading', { other: 'Dr. Weber' })).toBe(
      'Termin mit Dr. Weber bestätigt',
    );
  });

  it('picks plural forms and cases per language', () => {
    expect(translator.for(Locale.Fr).t('duration.hours', { count: 1 })).toBe('1 heure');
    expect(translator.for(Locale.De).t('duration.hours', { count: 24 })).toBe('24 Stunden');
    expect(translator.for(Locale.Es).t('appointment.cancelled.by', { by: 'doctor' })).toBe(
      'La consulta ha cancelado la cita.',
    );
  });

  it('formats dates in the reader zone and language', () => {
    const instant = '2027-03-01T14:00:00Z';
    expect(translator.for(Locale.De).when(instant, 'Europe/Berlin')).toBe(
      'Montag, 1. März 2027 um 15:00 MEZ',
    );
    expect(translator.for(Locale.En).when(instant, 'America/New_York')).toContain(
      'Monday, 1 March 2027 at 09:00',
    );
    expect(translator.for(Locale.Fr).money(4500, 'EUR')).toBe('45,00\u00a0€');
  });

  it('falls back to English for an unknown locale', () => {
    expect(translator.for('xx').locale).toBe(Locale.En);
  });
});
