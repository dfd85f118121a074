/** money.ts, the one place amounts are parsed, rounded, converted and formatted. */
import Database from 'better-sqlite3';
import { ruleFromWhmcsOverride } from '../../src/affiliate/rules';
import {
  convert,
  CurrencyMismatchError,
  add,
  formatMoney,
  minorToMajorSql,
  parseMoney,
  percentAsFactor,
  percentOf,
  roundToMinor,
  toMajorString,
} from '../../src/domain/money';

const usd = (major: string) => parseMoney(major, 'USD');

describe('money', () => {
  it('parses major units exactly into minor units, upper-casing the currency', () => {
    expect(parseMoney('1000.05', 'usd')).toEqual({ minor: 100005n, currency: 'USD' });
    expect(parseMoney('-3.5', 'EUR')).toEqual({ minor: -350n, currency: 'EUR' });
    expect(() => parseMoney('lots', 'USD')).toThrow();
  });

  it('rounds half away from zero, once', () => {
    expect(roundToMinor('9.245')).toBe(925n);
    expect(roundToMinor('-9.245')).toBe(-925n);
    expect(roundToMinor('0.004999')).toBe(0n);
  });

  it('takes a percentage as an exact decimal factor, never a float', () => {
    expect(percentAsFactor('57.1')).toBe('0.571');
    expect(percentAsFactor('0.7')).toBe('0.007');
    expect(percentAsFactor('33.33')).toBe('0.3333');
    expect(toMajorString(percentOf(usd('100.00'), '33.33'))).toBe('33.33');
    expect(toMajorString(percentOf(usd('100.00'), '0.7'))).toBe('0.70');
  });

  it('converts at a rate with one rounding, and refuses to add two currencies', () => {
    expect(formatMoney(convert(usd('0.10'), 'RUB', '92.45'))).toBe('9.25 RUB');
    expect(() => add(usd('1.00'), parseMoney('1.00', 'EUR'))).toThrow(CurrencyMismatchError);
  });

  it('turns minor units into an exact decimal amount in SQL, here on SQLite (no float on the way)', () => {
    const sqlite = new Database(':memory:');
    try {
      const major = (minor: number) =>
        (sqlite.prepare(`SELECT ${minorToMajorSql('@m', 'sqlite')} AS v`).get({ m: minor }) as { v: string })
          .v;
      expect([1235, -5, 100, 0, -123456789012].map(major)).toEqual([
        '12.35',
        '-0.05',
        '1.00',
        '0.00',
        '-1234567890.12',
      ]);
    } finally {
      sqlite.close();
    }
  });

  it('makes a one-time 57.1 % override the first month times 0.571', () => {
    expect(ruleFromWhmcsOverride({ type: 'percentage', amount: '57.1', oneTimeOnly: true })).toMatchObject({
      kind: 'first_month_multiple',
      factor: '0.571',
    });
  });
});
