import { Locale } from '@app/database';

/** The Intl locale each supported language formats with (`en`: day-month-year, 24 h). */
export const INTL_LOCALE: Record<Locale, string> = {
  [Locale.En]: 'en-GB',
  [Locale.De]: 'de-DE',
  [Locale.Fr]: 'fr-FR',
  [Locale.Es]: 'es-ES',
};

const WHEN: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};

/**
 * "Monday, 1 March 2027 at 09:00 GMT-5", "Montag, 1. März 2027 um 15:00 MEZ": in the reader's
 * own zone and language (an unknown zone falls back to UTC rather than failing the message).
 */
export function formatWhen(
  instant: Date | string,
  zone: string,
  locale: Locale = Locale.En,
): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const intlLocale = INTL_LOCALE[locale] ?? INTL_LOCALE[Locale.En];
  try {
    return new Intl.DateTimeFormat(intlLocale, { ...WHEN, timeZone: zone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(intlLocale, { ...WHEN, timeZone: 'UTC' }).format(date);
  }
}

/** "45,00 €", "$45.00": an amount in minor units, in the reader's language. */
export function formatAmount(minor: number, currency: string, locale: Locale = Locale.En): string {
  const format = new Intl.NumberFormat(INTL_LOCALE[locale] ?? INTL_LOCALE[Locale.En], {
    style: 'currency',
    currency: currency.trim(),
  });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
