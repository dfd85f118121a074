import {
  addDays,
  addMonthsClamped,
  isWithinReferralPeriod,
  monthBounds,
  monthsBetween,
  referralPeriodEnd,
  rewardMonthFor,
} from '../../../src/domain/affiliate/period';

describe('the month a run pays for', () => {
  it.each([
    ['2016-04-01', '2016-03'], // the seed's billmaintain --date 2016-04-01: March's expenses, paid in April
    ['2016-04-17', '2016-03'], // any day of April pays for March
    ['2016-04-30', '2016-03'],
    ['2026-01-01', '2025-12'], // across a year
    ['2024-03-01', '2024-02'],
  ])('a run with --date %s pays for %s', (date, month) => {
    expect(rewardMonthFor(date)).toBe(month);
  });

  it('refuses a malformed date', () => {
    expect(() => rewardMonthFor('2016-4-1')).toThrow(/YYYY-MM-DD/);
  });

  it('bounds a month with an inclusive start and an exclusive end', () => {
    expect(monthBounds('2024-02')).toEqual({ start: '2024-02-01 00:00:00', end: '2024-03-01 00:00:00' });
    expect(monthBounds('2025-12')).toEqual({ start: '2025-12-01 00:00:00', end: '2026-01-01 00:00:00' });
  });
});

describe('the referral period', () => {
  it('runs N months from the binding moment, start included, end excluded', () => {
    const bound = '2026-01-15 10:00:00';
    const end = referralPeriodEnd(bound, 3);
    expect(end).toBe('2026-04-15 10:00:00');
    expect(isWithinReferralPeriod('2026-01-15 10:00:00', bound, end)).toBe(true);
    expect(isWithinReferralPeriod('2026-04-15 09:59:59', bound, end)).toBe(true);
    expect(isWithinReferralPeriod('2026-04-15 10:00:00', bound, end)).toBe(false);
    expect(isWithinReferralPeriod('2026-01-15 09:59:59', bound, end)).toBe(false);
  });

  it('has no end when the program says 0 months', () => {
    expect(referralPeriodEnd('2026-01-15 10:00:00', 0)).toBeUndefined();
    expect(isWithinReferralPeriod('2099-01-01 00:00:00', '2026-01-15 10:00:00', undefined)).toBe(true);
  });

  it('clamps a day that the end month does not have', () => {
    expect(addMonthsClamped('2026-01-31 12:00:00', 1)).toBe('2026-02-28 12:00:00');
    expect(addMonthsClamped('2024-01-31 12:00:00', 1)).toBe('2024-02-29 12:00:00');
    expect(addMonthsClamped('2026-11-30 00:00:00', 3)).toBe('2027-02-28 00:00:00');
  });

  it('counts months and days across years', () => {
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
  });
});
