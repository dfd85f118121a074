/**
 * The calendar of promotions: server-local dates (`YYYY-MM-DD`) and date-times (`YYYY-MM-DD HH:MM:SS`) as text,
 * which compares in calendar order, and "now minus a period" (seed 002: "the selected period is subtracted from
 * the current date"). Moments become local dates only in domain/dates.ts.
 */
import { addDays, addMonths } from '../dates';

export const PERIOD_TYPES = ['day', 'month', 'year'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A real calendar day `YYYY-MM-DD`, or undefined. */
export function parseDay(text: string): string | undefined {
  const trimmed = text.trim();
  const match = DATE.exec(trimmed);
  if (!match) return undefined;
  const [, year = '', month = '', dayOfMonth = ''] = match;
  if (Number(month) < 1 || Number(month) > 12 || Number(dayOfMonth) < 1 || Number(dayOfMonth) > 31)
    return undefined;
  // A day past the month's end (Feb 30) moves on to the next month: not a real day.
  return addDays(`${year}-${month}-${dayOfMonth}`, 0) === trimmed ? trimmed : undefined;
}

/** `YYYY-MM-DD` (midnight) or `YYYY-MM-DD HH:MM[:SS]` as `YYYY-MM-DD HH:MM:SS`, or undefined. */
export function parseDayTime(text: string): string | undefined {
  const day = parseDay(text);
  if (day !== undefined) return `${day} 00:00:00`;
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, date = '', hours = '', minutes = '', seconds = '00'] = match;
  if (parseDay(date) === undefined || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) {
    return undefined;
  }
  return `${date} ${hours}:${minutes}:${seconds}`;
}

/** The calendar day of a local date-time or date. */
export function dayOf(localDateTime: string): string {
  return localDateTime.slice(0, 10);
}

/** The day `length` days, months or years before `day` (a month back from Mar 31 is Feb 28/29). */
export function daysBack(day: string, periodType: PeriodType, length: number): string {
  switch (periodType) {
    case 'day':
      return addDays(day, -length);
    case 'month':
      return addMonths(day, -length);
    case 'year':
      return addMonths(day, -12 * length);
  }
}

/** "1 day", "3 months", "1 year". */
export function periodText(periodType: PeriodType, length: number): string {
  return `${length} ${periodType}${length === 1 ? '' : 's'}`;
}
