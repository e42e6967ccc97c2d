import { Injectable } from '@nestjs/common';
import i18next from 'i18next';
import ICU from 'i18next-icu';
import { Locale } from '@app/database';
import { formatAmount, formatWhen } from '../format';
import { de } from './locales/de';
import { type Catalogue, en } from './locales/en';
import { es } from './locales/es';
import { fr } from './locales/fr';

export const CATALOGUES: Record<Locale, Catalogue> = { en, de, fr, es };
export const LOCALES = Object.values(Locale);

type Leaves<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}`;
}[keyof T & string];
/** Every message key, checked by the compiler: `appointment.cancelled.subject`. */
export type MessageKey = Leaves<typeof en>;
export type MessageValues = Record<string, string | number>;

/** A message that cannot be written as asked: a value it needs is missing, or it is malformed. */
export class MessageFormatError extends Error {}

/** What a message writer uses for one reader: their language, their way of writing dates. */
export interface Messages {
  readonly locale: Locale;
  t(key: MessageKey, values?: MessageValues): string;
  /** An instant in `zone`, written for this locale. */
  when(instant: Date | string, zone: string): string;
  money(minor: number, currency: string): string;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as string[]).includes(value);
}

/**
 * i18next with ICU MessageFormat (plural, select), one instance with every catalogue loaded
 * up front: the worker writes messages outside any request, for whichever reader it plans.
 * A message missing a value throws instead of sending "{name}" to a patient.
 */
@Injectable()
export class Translator {
  private readonly i18n = i18next.createInstance();

  constructor() {
    void this.i18n.use(ICU).init({
      initAsync: false,
      resources: Object.fromEntries(
        LOCALES.map((locale) => [locale, { translation: CATALOGUES[locale] }]),
      ),
      lng: Locale.En,
      fallbackLng: Locale.En,
      supportedLngs: LOCALES,
      returnNull: false,
      i18nFormat: {
        parseErrorHandler: (error: Error, key: string) => {
          throw new MessageFormatError(`Message ${key}: ${error.message}`);
        },
      },
    });
  }

  for(locale: string | null | undefined): Messages {
    const lng = isLocale(locale) ? locale : Locale.En;
    const fixed = this.i18n.getFixedT(lng);
    return {
      locale: lng,
      t: (key, values) => {
        if (!this.i18n.exists(key, { lng })) throw new MessageFormatError(`No message ${key}`);
        return fixed(key, values ?? {});
      },
      when: (instant, zone) => formatWhen(instant, zone, lng),
      money: (minor, currency) => formatAmount(minor, currency, lng),
    };
  }
}
