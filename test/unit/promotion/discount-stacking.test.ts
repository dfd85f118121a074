/** The discount offer's validation and the stacking rule, worked in cents. */
import { ValidationError } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import { validateOffer, type DiscountOffer } from '../../../src/domain/promotion/discounts/offer';
import { stackDiscounts, type Discountable } from '../../../src/domain/promotion/discounts/stacking';
import { discountEnds } from '../../../src/domain/promotion/discounts/validity';

const usd = (minor: number) => money(minor, 'USD');
const vps: Discountable = { amount: usd(10000), pricelist: 7, itemType: 'vds' };

function offer(promotion: number, o: Partial<DiscountOffer> & Pick<DiscountOffer, 'value'>): DiscountOffer {
  return { promotion, target: { kind: 'all' }, exclusive: true, priority: 0, budget: null, ...o };
}
const pct = (percent: string) => ({ kind: 'percent' as const, percent });
const fixed = (minor: number) => ({ kind: 'fixed' as const, amount: usd(minor) });

describe('validating an offer', () => {
  it('collects every problem at once', () => {
    let error: unknown;
    try {
      validateOffer({
        promotion: 3,
        percent: '120',
        itemTypes: ['vds'],
        tariffs: [0],
        exclusive: true,
        priority: 1.5,
        budget: '-1',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      'percentage 120 is not above 0 and at most 100',
      'the offer is off product types or off tariffs, not both',
      'priority 1.5 is not a whole number up to 1000000',
      'a budget needs its currency (--budget-currency, three letters)',
      "budget '-1' is not a positive amount with at most two decimals",
    ]);
  });

  it('needs exactly one of a percentage and an amount, and an amount its currency', () => {
    expect(() => validateOffer({ promotion: 1, exclusive: true })).toThrow(/either a percentage/);
    expect(() => validateOffer({ promotion: 1, exclusive: true, percent: '5', amount: '1' })).toThrow(
      /either a percentage/,
    );
    expect(() => validateOffer({ promotion: 1, exclusive: true, amount: '5.001', currency: 'USD' })).toThrow(
      /at most two decimals/,
    );
    expect(() => validateOffer({ promotion: 1, exclusive: true, amount: '5' })).toThrow(/needs its currency/);
  });

  it('keeps a percentage as an exact decimal and an amount in minor units with its currency', () => {
    expect(
      validateOffer({ promotion: 1, exclusive: false, percent: '12.50', tariffs: [9, 7, 9] }),
    ).toMatchObject({
      value: { kind: 'percent', percent: '12.5' },
      target: { kind: 'tariff', pricelists: [7, 9] },
      exclusive: false,
    });
    expect(
      validateOffer({ promotion: 1, exclusive: true, amount: '5.25', currency: 'eur', budget: '100' }),
    ).toMatchObject({ value: { kind: 'fixed', amount: money(525, 'EUR') }, budget: money(10000, 'EUR') });
  });
});

describe('stacking', () => {
  it('a percentage is rounded once, half away from zero: 12.5 % of 0.99 is 0.12 (0.12375)', () => {
    const r = stackDiscounts({ ...vps, amount: usd(99) }, [offer(1, { value: pct('12.5') })]);
    expect(r.total).toEqual(usd(12));
  });

  it('targets: a tariff offer applies to its tariff only, a product type offer to its type only', () => {
    const byTariff = offer(1, { value: pct('10'), target: { kind: 'tariff', pricelists: [8] } });
    const byType = offer(2, { value: pct('20'), target: { kind: 'item_type', intnames: ['domain'] } });
    expect(stackDiscounts(vps, [byTariff, byType]).shares).toEqual([]);
    expect(stackDiscounts({ ...vps, pricelist: 8 }, [byTariff, byType]).shares).toEqual([
      { promotion: 1, amount: usd(1000) },
    ]);
    expect(stackDiscounts({ ...vps, itemType: 'domain' }, [byTariff, byType]).shares).toEqual([
      { promotion: 2, amount: usd(2000) },
    ]);
  });

  it('among exclusive offers the higher priority wins, even when it gives less', () => {
    const r = stackDiscounts(vps, [
      offer(1, { value: pct('50') }),
      offer(2, { value: pct('5'), priority: 2 }),
    ]);
    expect(r.shares).toEqual([{ promotion: 2, amount: usd(500) }]);
  });

  it('at equal priority the more specific target wins: tariff over product type over all', () => {
    const all = offer(1, { value: pct('50') });
    const type = offer(2, { value: pct('20'), target: { kind: 'item_type', intnames: ['vds'] } });
    const tariff = offer(3, { value: pct('10'), target: { kind: 'tariff', pricelists: [7] } });
    expect(stackDiscounts(vps, [all, type, tariff]).shares).toEqual([{ promotion: 3, amount: usd(1000) }]);
    expect(stackDiscounts(vps, [all, type]).shares).toEqual([{ promotion: 2, amount: usd(2000) }]);
  });

  it('at equal priority and target the larger discount wins (a fixed 15.00 over 10 % of 100.00)', () => {
    const r = stackDiscounts(vps, [offer(1, { value: pct('10') }), offer(2, { value: fixed(1500) })]);
    expect(r.shares).toEqual([{ promotion: 2, amount: usd(1500) }]);
  });

  it('stackable offers add on top of the exclusive winner, and on each other without one', () => {
    const winner = offer(1, { value: pct('10') });
    const loser = offer(2, { value: pct('5') });
    const extra = offer(3, { value: fixed(250), exclusive: false });
    const more = offer(4, { value: pct('1'), exclusive: false, priority: 1 });
    expect(stackDiscounts(vps, [winner, loser, extra, more]).shares).toEqual([
      { promotion: 1, amount: usd(1000) },
      { promotion: 4, amount: usd(100) },
      { promotion: 3, amount: usd(250) },
    ]);
    expect(stackDiscounts(vps, [extra, more]).total).toEqual(usd(350));
  });

  it('the total never exceeds the amount: 80 % + 30 % of 100.00 is 100.00, a fixed 20.00 of 12.00 is 12.00', () => {
    const r = stackDiscounts(vps, [
      offer(1, { value: pct('80') }),
      offer(2, { value: pct('30'), exclusive: false }),
    ]);
    expect(r.shares).toEqual([
      { promotion: 1, amount: usd(8000) },
      { promotion: 2, amount: usd(2000) },
    ]);
    expect(stackDiscounts({ ...vps, amount: usd(1200) }, [offer(1, { value: fixed(2000) })]).total).toEqual(
      usd(1200),
    );
  });

  it('a fixed amount in another currency does not apply; a budget caps the share, an empty one drops the offer', () => {
    const eur = offer(1, { value: { kind: 'fixed', amount: money(500, 'EUR') } });
    expect(stackDiscounts(vps, [eur]).shares).toEqual([]);
    const big = offer(1, { value: pct('50'), budget: usd(100000) });
    const small = offer(2, { value: pct('10') });
    expect(stackDiscounts(vps, [big, small], () => usd(1234)).shares).toEqual([
      { promotion: 1, amount: usd(1234) },
    ]);
    expect(stackDiscounts(vps, [big, small], (p) => (p === 1 ? usd(0) : undefined)).shares).toEqual([
      { promotion: 2, amount: usd(1000) },
    ]);
  });
});

describe('validity', () => {
  it('a set period from the commit; else the ordered period of the service (months, day, lifetime)', () => {
    expect(discountEnds('2026-01-31 10:00:00', { type: 'month', length: 1 }, 12)).toBe('2026-02-28 10:00:00');
    expect(discountEnds('2026-01-31 10:00:00', { type: 'day', length: 3 }, 12)).toBe('2026-02-03 10:00:00');
    expect(discountEnds('2026-01-31 10:00:00', null, 3)).toBe('2026-04-30 10:00:00');
    expect(discountEnds('2026-01-31 10:00:00', null, -50)).toBe('2026-02-01 10:00:00');
    expect(discountEnds('2026-01-31 10:00:00', null, 0)).toBeNull();
  });
});
