/**
 * Calendar arithmetic of the affiliate program on the text forms the database keeps: dates `YYYY-MM-DD`,
 * date-times `YYYY-MM-DD HH:MM:SS`, months `YYYY-MM`. Moments are stored as UTC date-times (`toDateTime`);
 * "today" and the month a run pays for are the server's local dates (`toDate`, from domain/dates.ts), so the
 * run cron starts at 03:00 on the 1st pays for the month just ended in every time zone.
 *
 * Which month a run pays for: a run on (or with `--date`) day D pays for the calendar month BEFORE the month
 * of D. Cron runs on the 1st, so "at the 1st of each month ... based on the referral expenses for the previous
 * month" (seed 000) holds for every D of a month: `--date 2016-04-01` and `--date 2016-04-17` both pay for
 * March 2016. The seed's "generates the payments for April" reads as "the payments dated April".
 *
 * The referral period of N months runs from the binding moment, inclusive, to the same moment N months later,
 * exclusive (a day of month that does not exist in the end month becomes that month's last day). N = 0 means
 * no end.
 */

import { addDays as addCalendarDays, formatDateTime, localDate, localDateTime } from '../dates';

export type Month = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isMonth(text: string): boolean {
  const match = MONTH.exec(text);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** The month a run on `runDate` pays for: the calendar month before the month of `runDate`. */
export function rewardMonthFor(runDate: string): Month {
  const match = DATE.exec(runDate);
  if (!match) throw new Error(`not a date YYYY-MM-DD: '${runDate}'`);
  return addMonthsToMonth(`${match[1]}-${match[2]}`, -1);
}

export function addMonthsToMonth(month: Month, count: number): Month {
  const [year, monthNumber] = monthParts(month);
  const index = year * 12 + (monthNumber - 1) + count;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1, 2)}`;
}

/** The month's bounds as date-times: `start` inclusive, `end` (the next month's first moment) exclusive. */
export function monthBounds(month: Month): { start: string; end: string } {
  return { start: `${month}-01 00:00:00`, end: `${addMonthsToMonth(month, 1)}-01 00:00:00` };
}

export function monthOf(dateOrDateTime: string): Month {
  const month = dateOrDateTime.slice(0, 7);
  if (!isMonth(month)) throw new Error(`not a date: '${dateOrDateTime}'`);
  return month;
}

/** Whole months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: Month, to: Month): number {
  const [fromYear, fromMonth] = monthParts(from);
  const [toYear, toMonth] = monthParts(to);
  return (toYear - fromYear) * 12 + (toMonth - fromMonth);
}

/** The end (exclusive) of a referral period of `months` months bound at `boundAt`; undefined when unlimited. */
export function referralPeriodEnd(boundAt: string, months: number): string | undefined {
  if (months === 0) return undefined;
  return addMonthsClamped(boundAt, months);
}

export function isWithinReferralPeriod(
  moment: string,
  boundAt: string,
  periodEnd: string | undefined,
): boolean {
  return moment >= boundAt && (periodEnd === undefined || moment < periodEnd);
}

/** `YYYY-MM-DD HH:MM:SS` plus `count` months, the day clamped to the target month's last day. */
export function addMonthsClamped(dateTime: string, count: number): string {
  const month = addMonthsToMonth(monthOf(dateTime), count);
  const day = Math.min(Number(dateTime.slice(8, 10)), daysInMonth(month));
  return `${month}-${pad(day, 2)}${dateTime.slice(10) || ' 00:00:00'}`;
}

/** The date (of a date or date-time) plus `count` days. */
export function addDays(date: string, count: number): string {
  if (!DATE.test(date.slice(0, 10))) throw new Error(`not a date: '${date}'`);
  return addCalendarDays(date.slice(0, 10), count);
}

/** A JS Date as the database's UTC date-time text: dates.ts's formatter, under the affiliate code's name. */
export const toDateTime: (moment: Date) => string = formatDateTime;

/** The server-local date of a moment: the panel's "today". */
export function toDate(moment: Date): string {
  return localDate(moment);
}

/** Whether `month` has ended by `now` on the server's local calendar. */
export function isMonthOver(month: Month, now: Date): boolean {
  return monthBounds(month).end <= localDateTime(now);
}

function daysInMonth(month: Month): number {
  const [year, monthNumber] = monthParts(month);
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

function monthParts(month: Month): [number, number] {
  const match = MONTH.exec(month);
  if (!match || !isMonth(month)) throw new Error(`not a month YYYY-MM: '${month}'`);
  return [Number(match[1]), Number(match[2])];
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
