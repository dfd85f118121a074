import { parseMoney } from '../../../src/domain/money';
import { availableOn, withdrawalRefusal } from '../../../src/domain/affiliate/holding';

const usd = (major: string) => parseMoney(major, 'USD');

describe('the holding area', () => {
  it('makes a reward available the given number of days after the referred invoice was paid', () => {
    expect(availableOn('2026-10-20 15:00:00', 20)).toBe('2026-11-09');
    expect(availableOn('2026-12-31', 1)).toBe('2027-01-01');
    expect(availableOn('2026-10-20', 0)).toBe('2026-10-20');
  });

  it('accepts a withdrawal between the minimum and the available credit, both included', () => {
    expect(withdrawalRefusal(usd('50'), usd('70'), usd('50'))).toBeUndefined();
    expect(withdrawalRefusal(usd('70'), usd('70'), usd('50'))).toBeUndefined();
    expect(withdrawalRefusal(usd('49.99'), usd('70'), usd('50'))).toBe('below_minimum');
    expect(withdrawalRefusal(usd('70.01'), usd('70'), usd('50'))).toBe('over_available');
    expect(withdrawalRefusal(usd('0'), usd('70'), usd('0'))).toBe('not_positive');
  });
});
