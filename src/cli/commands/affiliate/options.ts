/** What the affiliate commands share: option parsers, money lines and the JSON form of views. */
import { InvalidArgumentError } from 'commander';
import { formatMoney, parseMoney, toMajorString, type Money } from '../../../domain/money';
import { parseWholeNumber } from '../../output';

export function amountOf(text: string, currency: string): Money {
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(text))
    throw new InvalidArgumentError(`'${text}' is not an amount such as 20 or 19.99.`);
  if (!/^[A-Za-z]{3}$/.test(currency))
    throw new InvalidArgumentError(`'${currency}' is not a currency code.`);
  return parseMoney(text, currency);
}

export function onOff(text: string): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new InvalidArgumentError(`'${text}' is not on or off.`);
}

export function idOrNone(text: string): number | null {
  return text === 'none' ? null : parseWholeNumber(text);
}

export function moneyList(amounts: readonly Money[]): string {
  return amounts.length === 0 ? 'nothing' : amounts.map(formatMoney).join(', ');
}

/** One currency of a partner's holding area: `USD: pending 1.00, available 2.00, paid out 0.00`. */
export function balanceLine(b: {
  currency: string;
  pending: Money;
  available: Money;
  paidOut: Money;
}): string {
  return `${b.currency}: pending ${toMajorString(b.pending)}, available ${toMajorString(b.available)}, paid out ${toMajorString(b.paidOut)}`;
}

/** JSON-ready: Money becomes `{ amount: "12.35", currency }`, other bigints become strings. */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (
      typeof record.minor === 'bigint' &&
      typeof record.currency === 'string' &&
      Object.keys(record).length === 2
    ) {
      return { amount: toMajorString(value as Money), currency: record.currency };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
