/** Validation that collects every problem of an input and throws once, naming them all. */
import Decimal from 'decimal.js';
import { ValidationError } from '../errors';

/** The affiliate feature's refusals are the plugin's one ValidationError. */
export { ValidationError as AffiliateValidationError } from '../errors';

/** Gathers problems; `done(subject)` throws them together, or does nothing when there are none. */
export class Problems {
  private readonly list: string[] = [];

  add(problem: string): void {
    this.list.push(problem);
  }

  check(ok: boolean, problem: string): void {
    if (!ok) this.add(problem);
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(subject: string): void {
    if (this.list.length > 0) throw new ValidationError(subject, this.list);
  }
}

const DECIMAL = /^\d{1,6}(\.\d{1,4})?$/;
/** A factor's column is decimal(10,6): a percent's four decimals, divided by 100. */
const FACTOR = /^\d{1,2}(\.\d{1,6})?$/;

/** A percentage "20" or "12.5": more than 0, at most 100, four decimals at most (the column's scale). */
export function isPercent(text: string | undefined): text is string {
  return text !== undefined && DECIMAL.test(text) && new Decimal(text).gt(0) && new Decimal(text).lte(100);
}

/** A multiple such as "0.5", "1.5" or "0.3333" (33.33 %): more than 0, below 100, six decimals at most. */
export function isFactor(text: string | undefined): text is string {
  return text !== undefined && FACTOR.test(text) && new Decimal(text).gt(0);
}

/** An amount in major units, "20" or "19.99": more than 0, two decimals at most. */
export function isPositiveAmount(text: string | undefined): text is string {
  return text !== undefined && /^\d{1,10}(\.\d{1,2})?$/.test(text) && new Decimal(text).gt(0);
}

export function isPositiveWhole(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value > 0;
}

export function isCurrencyCode(text: string | undefined): text is string {
  return text !== undefined && /^[A-Za-z]{3}$/.test(text);
}
