/** What several condition types share: "now minus a period" compared with a day, money over a period, date ranges. */
import { addDays } from '../../dates';
import { money, type Money } from '../../money';
import { dayOf, daysBack, periodText, type PeriodType } from '../calendar';
import {
  COMPARISON_TEXT,
  amount,
  amountText,
  cmp,
  compareNumbers,
  iso,
  moneyText,
  periodType,
  positiveInt,
  type Comparison,
} from '../condition';

const boundaries = new Map<string, string>();

/** The boundary day: `length` days/months/years before today (computed once per clock and period). */
function boundaryOf(today: string, periodType: PeriodType, length: number): string {
  const key = `${today}|${periodType}|${length}`;
  let boundary = boundaries.get(key);
  if (boundary === undefined) {
    boundary = daysBack(today, periodType, length);
    if (boundaries.size > 1000) boundaries.clear();
    boundaries.set(key, boundary);
  }
  return boundary;
}

/**
 * Seed 002: "the selected period is subtracted from the current date, the obtained value is compared with" the
 * client's date. By calendar day: `gt` (more than the period ago) is a day before the boundary day, `lt` after it,
 * `eq` the boundary day itself; the boundary day belongs only to `eq`.
 */
export function periodAgo(
  day: string,
  today: string,
  comparison: Comparison,
  periodType: PeriodType,
  length: number,
): boolean {
  const boundary = boundaryOf(today, periodType, length);
  return comparison === 'gt' ? day < boundary : comparison === 'lt' ? day > boundary : day === boundary;
}

export function periodAgoText(
  what: string,
  day: string,
  today: string,
  comparison: Comparison,
  periodType: PeriodType,
  length: number,
): string {
  const boundary = boundaryOf(today, periodType, length);
  const bound =
    comparison === 'gt'
      ? `on or before ${addDays(boundary, -1)}`
      : comparison === 'lt'
        ? `on or after ${addDays(boundary, 1)}`
        : `on ${boundary}`;
  return `${what} ${day}, needs ${COMPARISON_TEXT[comparison]} ${periodText(periodType, length)} ago (${bound})`;
}

/** The start of "the last `length` days/months/years" before `now`: the same time of day, `length` back. */
export function periodStart(now: string, periodType: PeriodType, length: number): string {
  return `${daysBack(dayOf(now), periodType, length)}${now.slice(10)}`;
}

export function lastPeriodText(periodType: PeriodType, length: number): string {
  return length === 1 ? `the last ${periodType}` : `the last ${periodText(periodType, length)}`;
}

/** An amount against a threshold in minor units of the same currency. */
export function moneyPasses(value: Money, comparison: Comparison, thresholdMinor: bigint): boolean {
  return compareNumbers(value.minor, comparison, thresholdMinor);
}

/** "expenses over the last month 740.00 RUB, needs more than 1,000.00". */
export function moneyExplanation(
  what: string,
  value: Money,
  comparison: Comparison,
  thresholdMinor: bigint,
): string {
  const needed = amountText(money(thresholdMinor, value.currency));
  return `${what} ${moneyText(value)}, needs ${COMPARISON_TEXT[comparison]} ${needed}`;
}

export function rangeText(from: string, to: string): string {
  return `${from} to ${to} (both days included)`;
}

export function inRange(day: string, from: string, to: string): boolean {
  return day >= from && day <= to;
}

/** The arguments of a money-over-a-period condition (5, 6 and 17): the comparison, the period, the amount, its currency. */
export function moneyOverPeriodArgs() {
  return {
    comparison: cmp(),
    periodType: periodType(),
    length: positiveInt(),
    amount: amount(),
    currency: iso(),
  };
}

/** What a money-over-a-period condition asks for: the sum from now minus the period to now, at `projects`. */
export function moneyOverPeriodNeed<K extends 'expenses' | 'payments'>(
  kind: K,
  args: { readonly periodType: PeriodType; readonly length: number; readonly currency: string },
  now: string,
  projects: readonly number[],
) {
  return {
    kind,
    from: periodStart(now, args.periodType, args.length),
    to: now,
    currency: args.currency,
    projects,
  } as const;
}
