/** Money: integer minor units with a currency; every rounding goes through `roundToMinor`. */
import Decimal from 'decimal.js';

/** An amount in minor units (cents) of an ISO currency. Never a float. */
export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

/** Minor units per major unit. Every currency the plugin meets has two decimals; change here if one does not. */
export const MINOR_DIGITS = 2;
const SCALE = new Decimal(10).pow(MINOR_DIGITS);

export class CurrencyMismatchError extends Error {
  constructor(a: string, b: string) {
    super(`cannot combine ${a} with ${b}`);
    this.name = 'CurrencyMismatchError';
  }
}

/**
 * THE rounding rule: half away from zero ("commercial" rounding), to whole minor units.
 * Applied once, at the end of a computation, never to intermediate values.
 */
export function roundToMinor(majorUnits: Decimal.Value): bigint {
  const minor = new Decimal(majorUnits).mul(SCALE).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return BigInt(minor.toFixed(0));
}

export function money(minor: bigint | number, currency: string): Money {
  if (typeof minor === 'number' && !Number.isInteger(minor))
    throw new Error(`minor units must be whole: ${minor}`);
  return Object.freeze({ minor: BigInt(minor), currency: currency.toUpperCase() });
}

/** Parses a decimal string in major units ("12.5", "12.5000" from a decimal(14,4) column), rounding once. */
export function parseMoney(major: string | number | Decimal, currency: string): Money {
  const text = typeof major === 'number' ? String(major) : major;
  if (typeof text === 'string' && !/^\s*-?\d+(\.\d+)?\s*$/.test(text))
    throw new Error(`not an amount: '${text}'`);
  return money(roundToMinor(text), currency);
}

/**
 * SQL that turns an integer expression of minor units into its amount in major units, exactly, for the host's
 * decimal columns: MySQL divides a DECIMAL exactly; SQLite has no decimal type, so the digits are put together as
 * text ("-12.05"), never through a float.
 */
export function minorToMajorSql(minorExpression: string, dialect: 'mysql' | 'sqlite'): string {
  const scale = SCALE.toString();
  if (dialect === 'mysql') return `(CAST((${minorExpression}) AS DECIMAL(30, 0)) / ${scale})`;
  const e = `CAST((${minorExpression}) AS INTEGER)`;
  return (
    `(CASE WHEN ${e} < 0 THEN '-' ELSE '' END || (abs(${e}) / ${scale}) || '.' || ` +
    `substr('${'0'.repeat(MINOR_DIGITS)}' || (abs(${e}) % ${scale}), -${MINOR_DIGITS}))`
  );
}

/** Major units as a decimal string with exactly MINOR_DIGITS decimals: "12.50". */
export function toMajorString(m: Money): string {
  return new Decimal(m.minor.toString()).div(SCALE).toFixed(MINOR_DIGITS);
}

export function formatMoney(m: Money): string {
  return `${toMajorString(m)} ${m.currency}`;
}

function same(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

export function add(a: Money, b: Money): Money {
  same(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  same(a, b);
  return money(a.minor - b.minor, a.currency);
}

export function negate(a: Money): Money {
  return money(-a.minor, a.currency);
}

export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce((acc, m) => add(acc, m), money(0n, currency));
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  same(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/** `factor` × amount, rounded once: for percentages pass "0.2" or use `percentOf`. */
export function multiply(a: Money, factor: Decimal.Value): Money {
  const major = new Decimal(a.minor.toString()).div(SCALE).mul(factor);
  return money(roundToMinor(major), a.currency);
}

/** `percent` % of an amount ("20" means 20 %), rounded once. */
export function percentOf(a: Money, percent: Decimal.Value): Money {
  return multiply(a, percentAsFactor(percent));
}

/** "57.1" (percent) as the exact factor "0.571": a decimal division, never a float one. */
export function percentAsFactor(percent: Decimal.Value): string {
  return new Decimal(percent).div(100).toString();
}

/** Converts into another currency at `rate` (units of `to` per one unit of `a.currency`), rounded once. */
export function convert(a: Money, to: string, rate: Decimal.Value): Money {
  if (a.currency === to.toUpperCase()) return a;
  const r = new Decimal(rate);
  if (!r.isFinite() || r.lte(0)) throw new Error(`bad rate ${String(rate)} for ${a.currency}->${to}`);
  const major = new Decimal(a.minor.toString()).div(SCALE).mul(r);
  return money(roundToMinor(major), to);
}
