import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';

/** ISO 4217 currencies PayPal accepts, with their minor-unit exponent. */
export const CURRENCY_EXPONENT: Record<string, number> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  AUD: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  NZD: 2,
  SGD: 2,
  HKD: 2,
  MXN: 2,
  BRL: 2,
  ILS: 2,
  PHP: 2,
  THB: 2,
  JPY: 0,
  HUF: 0,
  TWD: 0,
};
export const CURRENCIES = Object.keys(CURRENCY_EXPONENT);

/** Money on the wire: a decimal string and an ISO 4217 code. */
/** At most 9 digits and 2 decimals: 12 characters. */
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

export class MoneyDto {
  @ApiProperty({
    example: '45.00',
    description: 'Decimal amount as a string',
    pattern: AMOUNT.source,
    maxLength: 12,
  })
  @IsString()
  @Matches(AMOUNT, {
    message: 'amount must be a non-negative decimal string like "45.00"',
  })
  amount: string;

  @ApiProperty({ example: 'USD', enum: CURRENCIES })
  @IsIn(CURRENCIES)
  currency: string;
}

/** Money in storage: integer minor units, so no floating point ever touches it. */
export interface Money {
  minor: number;
  currency: string;
}

export function parseMoney(dto: MoneyDto): Money {
  const exponent = CURRENCY_EXPONENT[dto.currency];
  if (exponent === undefined) throw new RangeError(`Unsupported currency ${dto.currency}`);
  const [whole, fraction = ''] = dto.amount.split('.');
  if (fraction.length > exponent) {
    throw new RangeError(`${dto.currency} takes at most ${exponent} decimals`);
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new RangeError('amount is too large');
  return { minor, currency: dto.currency };
}

export function formatMoney(money: Money): MoneyDto {
  const exponent = CURRENCY_EXPONENT[money.currency] ?? 2;
  const sign = money.minor < 0 ? '-' : '';
  const abs = Math.abs(money.minor);
  if (exponent === 0) return { amount: `${sign}${abs}`, currency: money.currency };
  const scale = 10 ** exponent;
  const whole = Math.floor(abs / scale);
  const fraction = String(abs % scale).padStart(exponent, '0');
  return { amount: `${sign}${whole}.${fraction}`, currency: money.currency };
}
