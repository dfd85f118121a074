import {
  DAY,
  LIFETIME,
  TRIAL,
  columnOfPeriod,
  mapPeriod,
  parsePeriod,
  periodFromApi,
  periodLabel,
  periodOfColumn,
  uncoveredPeriods,
  PRICE_COLUMNS,
  type PeriodMapping,
} from '../../src/domain/periods';

const mapping = (over: Partial<PeriodMapping> & Pick<PeriodMapping, 'source' | 'target'>): PeriodMapping => ({
  itemtype: '',
  pricelist: 0,
  ...over,
});

describe('price columns and API periods', () => {
  it.each([
    ['trial', TRIAL],
    ['day', DAY],
    ['monthly', 1],
    ['quarterly', 3],
    ['semiannual', 6],
    ['annually', 12],
    ['biennial', 24],
    ['triennial', 36],
    ['quadrennial', 48],
    ['quinquennial', 60],
    ['decennial', 120],
    ['lifetime', LIFETIME],
  ] as const)('%s is period %d and back', (column, period) => {
    expect(periodOfColumn(column)).toBe(period);
    expect(columnOfPeriod(period)).toBe(column);
  });

  it('gives every column a distinct period', () => {
    expect(new Set(PRICE_COLUMNS.map(periodOfColumn)).size).toBe(PRICE_COLUMNS.length);
  });

  it('has no column for periods the host cannot price', () => {
    expect(columnOfPeriod(2)).toBeUndefined();
    expect(columnOfPeriod(-1)).toBeUndefined();
  });

  it('reads selling <period type length> elements', () => {
    expect(periodFromApi('month', 1)).toBe(1);
    expect(periodFromApi('month', 12)).toBe(12);
    expect(periodFromApi('year', 2)).toBe(24);
    expect(periodFromApi('day', 1)).toBe(DAY);
    expect(periodFromApi('trial', 0)).toBe(TRIAL);
    expect(periodFromApi('lifetime', 0)).toBe(LIFETIME);
  });

  it('refuses selling periods without a host column, naming them', () => {
    expect(() => periodFromApi('month', 2)).toThrow(/type 'month' and length 2/);
    expect(() => periodFromApi('day', 7)).toThrow(/type 'day' and length 7/);
    expect(() => periodFromApi('week', 1)).toThrow(/type 'week'/);
  });

  it('parses periods typed by an admin', () => {
    expect(parsePeriod('monthly')).toBe(1);
    expect(parsePeriod(' Annually ')).toBe(12);
    expect(parsePeriod('12')).toBe(12);
    expect(parsePeriod('-100')).toBe(TRIAL);
    expect(parsePeriod('0')).toBe(LIFETIME);
    expect(() => parsePeriod('2')).toThrow(/unknown period '2'/);
    expect(() => parsePeriod('weekly')).toThrow(/unknown period 'weekly'/);
  });

  it('labels periods for messages', () => {
    expect(periodLabel(1)).toBe('1 month');
    expect(periodLabel(12)).toBe('12 months');
    expect(periodLabel(TRIAL)).toBe('trial');
    expect(periodLabel(DAY)).toBe('day');
    expect(periodLabel(LIFETIME)).toBe('lifetime');
  });
});

describe('mapPeriod', () => {
  const vds = { itemtype: 'vds', pricelist: 7 };

  it('keeps the period when no mapping applies', () => {
    expect(mapPeriod([], { ...vds, period: 3 })).toBe(3);
    expect(mapPeriod([mapping({ source: 1, target: 12 })], { ...vds, period: 3 })).toBe(3);
  });

  it('applies a module-wide mapping to every product type and tariff', () => {
    const rules = [mapping({ source: TRIAL, target: 1 })];
    expect(mapPeriod(rules, { ...vds, period: TRIAL })).toBe(1);
    expect(mapPeriod(rules, { itemtype: 'certificate', pricelist: 99, period: TRIAL })).toBe(1);
  });

  it('ignores mappings of another product type or tariff', () => {
    const rules = [
      mapping({ source: 3, target: 1, itemtype: 'dedic' }),
      mapping({ source: 3, target: 6, pricelist: 8 }),
    ];
    expect(mapPeriod(rules, { ...vds, period: 3 })).toBe(3);
  });

  it('prefers tariff-specific over product-type over module-wide, whatever the order', () => {
    const wide = mapping({ source: 3, target: 1 });
    const byType = mapping({ source: 3, target: 6, itemtype: 'vds' });
    const byTariff = mapping({ source: 3, target: 12, pricelist: 7 });
    for (const rules of [
      [wide, byType, byTariff],
      [byTariff, byType, wide],
      [byType, byTariff, wide],
    ]) {
      expect(mapPeriod(rules, { ...vds, period: 3 })).toBe(12);
    }
    expect(mapPeriod([wide, byType], { ...vds, period: 3 })).toBe(6);
    expect(mapPeriod([byType, wide], { ...vds, period: 3 })).toBe(6);
    expect(mapPeriod([wide, byType], { itemtype: 'vhost', pricelist: 7, period: 3 })).toBe(1);
  });

  it('ranks a mapping limited to both type and tariff above one limited to the tariff only', () => {
    const byTariff = mapping({ source: 1, target: 3, pricelist: 7 });
    const byBoth = mapping({ source: 1, target: 6, pricelist: 7, itemtype: 'vds' });
    expect(mapPeriod([byBoth, byTariff], { ...vds, period: 1 })).toBe(6);
    expect(mapPeriod([byTariff, byBoth], { ...vds, period: 1 })).toBe(6);
  });

  it('does not apply tariff-specific mappings while the tariff does not exist yet', () => {
    const rules = [mapping({ source: 3, target: 12, pricelist: 7 })];
    expect(mapPeriod(rules, { itemtype: 'vds', period: 3 })).toBe(3);
  });

  it('maps once, never in a chain', () => {
    const rules = [mapping({ source: 3, target: 1 }), mapping({ source: 1, target: 12 })];
    expect(mapPeriod(rules, { ...vds, period: 3 })).toBe(1);
  });
});

describe('uncoveredPeriods', () => {
  it('is empty when every host period is offered by the selling side', () => {
    expect(uncoveredPeriods([1, 12], [1, 3, 12], [], { itemtype: 'vds' })).toEqual([]);
  });

  it('lists host periods the selling side does not offer', () => {
    expect(uncoveredPeriods([TRIAL, 1, 6], [1, 12], [], { itemtype: 'vds' })).toEqual([TRIAL, 6]);
  });

  it('counts a host period as covered when a mapping sends it to an offered period', () => {
    const rules = [
      mapping({ source: TRIAL, target: 1 }),
      mapping({ source: 6, target: 3, itemtype: 'dedic' }),
    ];
    expect(uncoveredPeriods([TRIAL, 1, 6], [1, 12], rules, { itemtype: 'vds' })).toEqual([6]);
  });

  it('flags an offered period mapped to one that is not offered', () => {
    const rules = [mapping({ source: 1, target: 3 })];
    expect(uncoveredPeriods([1], [1, 12], rules, { itemtype: 'vds' })).toEqual([1]);
  });
});
