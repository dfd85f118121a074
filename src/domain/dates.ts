/**
 * Calendar arithmetic on YYYY-MM-DD dates (the format both billing panels use), and the one place a moment
 * becomes the server's local date: the panel works in the server's local time, so "today", "the 1st of the
 * month" and the affiliate month are the server's dates (host contract section 1), east or west of UTC.
 */

/** The server-local calendar date of a moment: the panel's "today". */
export function localDate(moment: Date): string {
  return `${pad(moment.getFullYear(), 4)}-${pad(moment.getMonth() + 1, 2)}-${pad(moment.getDate(), 2)}`;
}

/** The server-local date-time of a moment, `YYYY-MM-DD HH:MM:SS`: to compare with local calendar bounds. */
export function localDateTime(moment: Date): string {
  const time = [moment.getHours(), moment.getMinutes(), moment.getSeconds()].map((n) => pad(n, 2));
  return `${localDate(moment)} ${time.join(':')}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function formatDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function parseDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** Adds whole months, clamping to the last day of a shorter month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: string, months: number): string {
  const start = parseDate(day);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return formatDate(target);
}

export function addDays(day: string, days: number): string {
  const date = parseDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return formatDate(date);
}

/** A real calendar date `YYYY-MM-DD`; checked by arithmetic, since it runs for every event of a page. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
