/** What several condition types share: "now minus a period" compared with a day, money over a period, date ranges. */
import { addDays } from '../../dates';
import { compare, parseMoney, type Money } from '../../money';
import { dayOf, daysBack, periodText, type PeriodType } from '../calendar';
import { COMPARISON_TEXT, amountText, moneyText, type Comparison, type Outcome } from '../condition';

/**
 * Seed 002: "the selected period is subtracted from the current date, the obtained value is compared with" the
 * client's date. By calendar day: `gt` (more than the period ago) is a day before the boundary day, `lt` after it,
 * `eq` the boundary day itself; the boundary day belongs only to `eq`.
 */
export function periodAgo(
  what: string,
  day: string,
  today: string,
  comparison: Comparison,
  periodType: PeriodType,
  length: number,
): Outcome {
  const boundary = daysBack(today, periodType, length);
  const passed =
    comparison === 'gt' ? day < boundary : comparison === 'lt' ? day > boundary : day === boundary;
  const bound =
    comparison === 'gt'
      ? `on or before ${addDays(boundary, -1)}`
      : comparison === 'lt'
        ? `on or after ${addDays(boundary, 1)}`
        : `on ${boundary}`;
  return {
    passed,
    text: `${what} ${day}, needs ${COMPARISON_TEXT[comparison]} ${periodText(periodType, length)} ago (${bound})`,
  };
}

/** The start of "the last `length` days/months/years" before `now`: the same time of day, `length` back. */
export function periodStart(now: string, periodType: PeriodType, length: number): string {
  return `${daysBack(dayOf(now), periodType, length)}${now.slice(10)}`;
}

export function lastPeriodText(periodType: PeriodType, length: number): string {
  return length === 1 ? `the last ${periodType}` : `the last ${periodText(periodType, length)}`;
}

/** "expenses over the last month 740.00 RUB, needs more than 1,000.00". */
export function moneyOutcome(what: string, value: Money, comparison: Comparison, threshold: string): Outcome {
  const needed = parseMoney(threshold, value.currency);
  const order = compare(value, needed);
  const passed = comparison === 'gt' ? order > 0 : comparison === 'lt' ? order < 0 : order === 0;
  return {
    passed,
    text: `${what} ${moneyText(value)}, needs ${COMPARISON_TEXT[comparison]} ${amountText(needed)}`,
  };
}

export function rangeText(from: string, to: string): string {
  return `${from} to ${to} (both days included)`;
}

export function inRange(day: string, from: string, to: string): boolean {
  return day >= from && day <= to;
}
