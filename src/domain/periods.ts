/**
 * Order periods: the selling API counts months (-100 trial, -50 day, 0 lifetime), the host keeps one price
 * column per period. Also the period comparison rules of seed 004 ("Matching periods").
 */

export const TRIAL = -100;
export const DAY = -50;
export const LIFETIME = 0;

/** The host's price columns (`price` table), one per order period. */
export const PRICE_COLUMNS = [
  'trial',
  'day',
  'monthly',
  'quarterly',
  'semiannual',
  'annually',
  'biennial',
  'triennial',
  'quadrennial',
  'quinquennial',
  'decennial',
  'lifetime',
] as const;
export type PriceColumn = (typeof PRICE_COLUMNS)[number];

const PERIOD_OF_COLUMN: Readonly<Record<PriceColumn, number>> = {
  trial: TRIAL,
  day: DAY,
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annually: 12,
  biennial: 24,
  triennial: 36,
  quadrennial: 48,
  quinquennial: 60,
  decennial: 120,
  lifetime: LIFETIME,
};

export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodError';
  }
}

export function periodOfColumn(column: PriceColumn): number {
  return PERIOD_OF_COLUMN[column];
}

/** The price column of a period, or undefined when the host has none for it (e.g. 2 months). */
export function columnOfPeriod(period: number): PriceColumn | undefined {
  return PRICE_COLUMNS.find((column) => PERIOD_OF_COLUMN[column] === period);
}

export function isPriceColumn(name: string): name is PriceColumn {
  return (PRICE_COLUMNS as readonly string[]).includes(name);
}

/** A selling `<period type= length=>` as API months; throws PeriodError for a period the host cannot price. */
export function periodFromApi(type: string, length: number): number {
  const period = apiPeriod(type, length);
  if (period === undefined || columnOfPeriod(period) === undefined) {
    throw new PeriodError(`the host has no price column for a period of type '${type}' and length ${length}`);
  }
  return period;
}

function apiPeriod(type: string, length: number): number | undefined {
  switch (type) {
    case 'month':
      return length > 0 ? length : undefined;
    case 'year':
      return length > 0 ? length * 12 : undefined;
    case 'day':
      return length === 1 ? DAY : undefined;
    case 'trial':
      return TRIAL;
    case 'lifetime':
      return LIFETIME;
    default:
      return undefined;
  }
}

/** Reads a period as an admin types it: a column name (`monthly`, `trial`) or API months (`12`, `-100`). */
export function parsePeriod(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (isPriceColumn(trimmed)) return periodOfColumn(trimmed);
  if (/^-?\d+$/.test(trimmed) && columnOfPeriod(Number(trimmed)) !== undefined) return Number(trimmed);
  throw new PeriodError(
    `unknown period '${text}': use one of ${PRICE_COLUMNS.join(', ')} or months (1, 3, 6, 12, 24, 36, 48, 60, 120; -100 trial, -50 day, 0 lifetime)`,
  );
}

/** "1 month", "12 months", "trial", "day", "lifetime": for messages. */
export function periodLabel(period: number): string {
  if (period === TRIAL) return 'trial';
  if (period === DAY) return 'day';
  if (period === LIFETIME) return 'lifetime';
  return period === 1 ? '1 month' : `${period} months`;
}

/** One period comparison: `source` becomes `target`; '' itemtype and 0 pricelist mean "any". */
export interface PeriodMapping {
  readonly source: number;
  readonly target: number;
  readonly itemtype: string;
  readonly pricelist: number;
}

export interface PeriodContext {
  readonly period: number;
  /** Product type intname (`vds`, `certificate`, ...). */
  readonly itemtype: string;
  /** Local tariff id; 0 or absent when the tariff does not exist yet (tariff import). */
  readonly pricelist?: number;
}

/**
 * The period to order on the selling side. Among the mappings of `period` that apply, the most specific wins:
 * tariff-specific over product-type-specific over module-wide. No mapping: the period itself.
 */
export function mapPeriod(mappings: readonly PeriodMapping[], context: PeriodContext): number {
  let best: { mapping: PeriodMapping; rank: number } | undefined;
  for (const mapping of mappings) {
    if (!applies(mapping, context)) continue;
    const rank = specificity(mapping);
    if (best === undefined || rank > best.rank) best = { mapping, rank };
  }
  return best === undefined ? context.period : best.mapping.target;
}

function applies(mapping: PeriodMapping, context: PeriodContext): boolean {
  if (mapping.source !== context.period) return false;
  if (mapping.itemtype !== '' && mapping.itemtype !== context.itemtype) return false;
  return mapping.pricelist === 0 || mapping.pricelist === (context.pricelist ?? 0);
}

function specificity(mapping: PeriodMapping): number {
  return (mapping.pricelist !== 0 ? 2 : 0) + (mapping.itemtype !== '' ? 1 : 0);
}

/**
 * The host's order periods that cannot be ordered on the selling side: neither offered there, nor mapped to
 * a period that is. Tariff import is refused while this is not empty (seed 004: "equal order periods").
 */
export function uncoveredPeriods(
  hostPeriods: readonly number[],
  sellingPeriods: readonly number[],
  mappings: readonly PeriodMapping[],
  context: Omit<PeriodContext, 'period'>,
): number[] {
  const offered = new Set(sellingPeriods);
  return hostPeriods.filter((period) => !offered.has(mapPeriod(mappings, { ...context, period })));
}
