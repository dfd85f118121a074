/** The host's currencies: `currency`, `currencyrate`, `project2currency` (which one is a provider's main currency). */
import type { Db } from './types';

export interface DbCurrencyRow {
  id: number;
  name: string | null;
  iso: string | null;
  code: number | null;
  active: string | null;
}

/** [assumed] `rate` units of `relcurrency` buy one unit of `currency`, on `ratedate`. */
export interface DbCurrencyRateRow {
  id: number;
  currency: number;
  relcurrency: number;
  /** decimal(20,8) as a string. */
  rate: string;
  ratedate: string | null;
}

export interface DbProject2CurrencyRow {
  project: number;
  currency: number;
  main: string | null;
}

/** Currencies that are switched on (`active` is 'on' or unset). */
export async function listActiveCurrencies(db: Db): Promise<DbCurrencyRow[]> {
  return db<DbCurrencyRow>('currency')
    .where((q) => q.where('active', 'on').orWhereNull('active'))
    .orderBy('id');
}

/** The currencies marked main for a provider (`project2currency.main = 'on'`), first project first. */
export async function listMainCurrencies(db: Db): Promise<DbProject2CurrencyRow[]> {
  return db<DbProject2CurrencyRow>('project2currency').where({ main: 'on' }).orderBy('project');
}

export async function firstProjectId(db: Db): Promise<number | undefined> {
  const row = await db('project').min({ id: 'id' }).first();
  return row?.id === null || row?.id === undefined ? undefined : Number(row.id);
}

/** The newest rate row converting `from` into `to`, read in either direction; undefined when there is none. */
export async function latestRate(
  db: Db,
  from: number,
  to: number,
): Promise<{ row: DbCurrencyRateRow; inverse: boolean } | undefined> {
  const newest = (currency: number, relcurrency: number) =>
    db<DbCurrencyRateRow>('currencyrate')
      .where({ currency, relcurrency })
      .orderByRaw('ratedate IS NULL')
      .orderBy([
        { column: 'ratedate', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
  const direct = await newest(from, to);
  if (direct) return { row: direct, inverse: false };
  const inverse = await newest(to, from);
  return inverse ? { row: inverse, inverse: true } : undefined;
}

/** The host's currencies that have an ISO code: id to code. */
export async function currencyCodes(db: Db): Promise<Map<number, string>> {
  const rows = (await db('currency').whereNotNull('iso').select('id', 'iso')) as Array<{
    id: number;
    iso: string;
  }>;
  return new Map(rows.map((row) => [Number(row.id), row.iso]));
}
