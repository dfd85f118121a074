/** The pure parts of promotions: calendar reading, period arithmetic, argument checks, amounts in explanations. */
import { money } from '../../../src/domain/money';
import { daysBack, parseDay, parseDayTime } from '../../../src/domain/promotion/calendar';
import { amountText, parseArgs } from '../../../src/domain/promotion/condition';
import { conditionType, CONDITION_TYPES } from '../../../src/domain/promotion/conditions';
import { windowDays } from '../../../src/domain/promotion/conditions/has-service';
import { inWindow } from '../../../src/domain/promotion/promotion';

describe('calendar', () => {
  it('reads real days and date-times only', () => {
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
    expect(parseDay('2027-02-29')).toBeUndefined();
    expect(parseDay('2026-13-01')).toBeUndefined();
    expect(parseDayTime('2026-12-01')).toBe('2026-12-01 00:00:00');
    expect(parseDayTime('2026-12-01 9:30')).toBeUndefined();
    expect(parseDayTime('2026-12-01T09:30')).toBe('2026-12-01 09:30:00');
    expect(parseDayTime('2026-12-01 24:00')).toBeUndefined();
  });

  it('goes back a period, a month from the 31st landing on the month end', () => {
    expect(daysBack('2026-03-31', 'month', 1)).toBe('2026-02-28');
    expect(daysBack('2028-02-29', 'year', 1)).toBe('2027-02-28');
    expect(daysBack('2026-01-05', 'day', 10)).toBe('2025-12-26');
  });

  it('keeps a window from its start (inclusive) to its end (exclusive)', () => {
    const window = { startsAt: '2026-12-01 00:00:00', endsAt: '2027-01-01 00:00:00' };
    expect(inWindow(window, '2026-12-01 00:00:00')).toBe(true);
    expect(inWindow(window, '2026-12-31 23:59:59')).toBe(true);
    expect(inWindow(window, '2027-01-01 00:00:00')).toBe(false);
    expect(windowDays(window)).toEqual({ from: '2026-12-01', before: '2027-01-01' });
    expect(windowDays({ startsAt: null, endsAt: '2027-01-01 12:00:00' })).toEqual({
      from: null,
      before: '2027-01-02',
    });
  });
});

describe('condition types', () => {
  it('are the 17 of seed 002, each code once', () => {
    expect(CONDITION_TYPES).toHaveLength(17);
    expect(new Set(CONDITION_TYPES.map((c) => c.code)).size).toBe(17);
    expect(conditionType('no_such_type')).toBeUndefined();
  });

  it('read amounts once as minor units, and name every problem', () => {
    const entry = conditionType('expenses_over_period');
    if (!entry) throw new Error('expenses_over_period is missing');
    expect(
      parseArgs(entry, {
        comparison: '>',
        periodType: 'Month',
        length: '1',
        amount: '999.5',
        currency: 'rub',
      }),
    ).toEqual({
      values: { comparison: 'gt', periodType: 'month', length: 1, amount: 99950n, currency: 'RUB' },
      problems: [],
    });
    expect(parseArgs(entry, { length: '0', amount: '1e3' }).problems).toEqual([
      'comparison is required: gt | lt | eq (or > < =)',
      'periodType is required: day | month | year',
      "length '0' must be a whole number of at least 1",
      "amount '1e3' must be an amount with at most two decimals",
      'currency is required: a currency code, e.g. RUB',
    ]);
  });
});

describe('amounts in explanations', () => {
  it('separate thousands and keep two decimals', () => {
    expect(amountText(money(100000n, 'RUB'))).toBe('1,000.00');
    expect(amountText(money(123456789n, 'RUB'))).toBe('1,234,567.89');
    expect(amountText(money(-74000n, 'RUB'))).toBe('-740.00');
    expect(amountText(money(5n, 'RUB'))).toBe('0.05');
  });
});
