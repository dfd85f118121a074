/**
 * How long a discount holds for a client (seed 002, "Promo code discount expiration date"): from the commit of the
 * redemption of its code, for the code batch's period type and length, or, when the batch sets none, for the whole
 * ordered period of the service. Times are `YYYY-MM-DD HH:MM:SS`; the end is exclusive.
 */
import { addDays, addMonths } from '../../dates';
import { DAY, LIFETIME, TRIAL } from '../../periods';

export type DiscountPeriodType = 'day' | 'month' | 'year';

/**
 * The end of the discount, or null when it never ends (a lifetime service). `orderedPeriod` is the service's
 * `item.period`: months, or the selling scheme's -50 day, 0 lifetime, -100 trial ([assumed]: the host column holds
 * the ordered period in the same scheme as the selling API's `period`).
 */
export function discountEnds(
  committedAt: string,
  period: { type: DiscountPeriodType; length: number } | null,
  orderedPeriod: number | null,
): string | null {
  const day = committedAt.slice(0, 10);
  const time = committedAt.slice(10);
  if (period !== null) {
    const months = period.type === 'year' ? period.length * 12 : period.type === 'month' ? period.length : 0;
    return `${months > 0 ? addMonths(day, months) : addDays(day, period.length)}${time}`;
  }
  if (orderedPeriod === null || orderedPeriod === TRIAL) return committedAt;
  if (orderedPeriod === LIFETIME) return null;
  if (orderedPeriod === DAY) return `${addDays(day, 1)}${time}`;
  return `${addMonths(day, orderedPeriod)}${time}`;
}

/** Whether a moment falls in [committedAt, end). */
export function withinDiscount(at: string, committedAt: string, end: string | null): boolean {
  return at >= committedAt && (end === null || at < end);
}
