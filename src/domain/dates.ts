/** Calendar arithmetic on YYYY-MM-DD dates in UTC: the format both billing panels use. */

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
