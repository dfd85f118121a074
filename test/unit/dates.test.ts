/** dates.ts's calendar check: the one both the command-line parser and checkevent's event dates use. */
import { isCalendarDate } from '../../src/domain/dates';

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30'])('takes %s', (day) => {
    expect(isCalendarDate(day)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-04-31',
    '2026-00-10',
    '2026-1-5',
    '2026-01-05 10:00',
  ])('refuses %s', (day) => {
    expect(isCalendarDate(day)).toBe(false);
  });
});
