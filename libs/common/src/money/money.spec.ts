import { formatMoney, parseMoney } from './money';

describe('money', () => {
  it('parses decimal strings into minor units without floating point', () => {
    expect(parseMoney({ amount: '45.00', currency: 'USD' })).toEqual({
      minor: 4500,
      currency: 'USD',
    });
    expect(parseMoney({ amount: '0.1', currency: 'EUR' })).toEqual({ minor: 10, currency: 'EUR' });
    expect(parseMoney({ amount: '19.99', currency: 'USD' }).minor).toBe(1999);
    expect(parseMoney({ amount: '1500', currency: 'JPY' })).toEqual({
      minor: 1500,
      currency: 'JPY',
    });
  });

  it('refuses more decimals than the currency has', () => {
    expect(() => parseMoney({ amount: '10.5', currency: 'JPY' })).toThrow(RangeError);
    expect(() => parseMoney({ amount: '1.00', currency: 'XXX' })).toThrow(RangeError);
  });

  it('formats minor units back to the wire shape', () => {
    expect(formatMoney({ minor: 4500, currency: 'USD' })).toEqual({
      amount: '45.00',
      currency: 'USD',
    });
    expect(formatMoney({ minor: 5, currency: 'USD' })).toEqual({ amount: '0.05', currency: 'USD' });
    expect(formatMoney({ minor: 0, currency: 'EUR' })).toEqual({ amount: '0.00', currency: 'EUR' });
    expect(formatMoney({ minor: 1500, currency: 'JPY' })).toEqual({
      amount: '1500',
      currency: 'JPY',
    });
  });

  it('round-trips every amount of cents up to 1000.00', () => {
    for (let minor = 0; minor <= 100_000; minor += 7) {
      const dto = formatMoney({ minor, currency: 'USD' });
      expect(parseMoney(dto).minor).toBe(minor);
    }
  });
});
