/** The host side of price conversion: its main currency, the provider (project) it belongs to, and its rates. */
import Decimal from 'decimal.js';
import type { Db } from '../../db/types';
import { firstProjectId, latestRate, listActiveCurrencies, listMainCurrencies } from '../../db/currency';
import { TariffRefusedError, type MainCurrency } from './pricing';

export interface HostCurrencies {
  main: MainCurrency;
  /** The provider new tariffs belong to: the one whose main currency this is. */
  project: number | null;
}

/**
 * The main currency new prices are kept in. Refuses when the host has no currencies (seed 004: "if currencies
 * are not set in your BILLmanager, prices cannot be imported") or several and none marked main.
 */
export async function loadMainCurrency(db: Db): Promise<HostCurrencies> {
  const currencies = await listActiveCurrencies(db);
  if (currencies.length === 0) {
    throw new TariffRefusedError('missed', 'currency', [
      'the host has no currencies: prices cannot be imported',
    ]);
  }
  const byId = new Map(currencies.map((c) => [Number(c.id), c]));
  const mainLink = (await listMainCurrencies(db)).find((link) => byId.has(Number(link.currency)));
  const mainRow = mainLink
    ? byId.get(Number(mainLink.currency))
    : currencies.length === 1
      ? currencies[0]
      : undefined;
  if (!mainRow?.iso) {
    throw new TariffRefusedError('missed', 'currency', [
      'the host has several currencies and none is marked main (project2currency.main): prices cannot be converted',
    ]);
  }
  const project = mainLink ? Number(mainLink.project) : ((await firstProjectId(db)) ?? null);
  return { main: { id: Number(mainRow.id), iso: mainRow.iso.toUpperCase() }, project };
}

/** Rates into the main currency (units of main per unit of each); `missing` lists currencies without a usable rate. */
export async function loadRates(
  db: Db,
  main: MainCurrency,
  foreign: readonly string[],
): Promise<{ rates: Map<string, Decimal>; missing: string[] }> {
  const currencies = await listActiveCurrencies(db);
  const byIso = new Map(
    currencies.filter((c) => c.iso).map((c) => [String(c.iso).toUpperCase(), Number(c.id)]),
  );
  const rates = new Map<string, Decimal>();
  const missing: string[] = [];
  for (const iso of foreign) {
    const from = byIso.get(iso);
    const found = from === undefined ? undefined : await latestRate(db, from, main.id);
    const rate = found ? new Decimal(found.row.rate) : undefined;
    if (!found || !rate || !rate.isFinite() || rate.lte(0)) missing.push(iso);
    else rates.set(iso, found.inverse ? new Decimal(1).div(rate) : rate);
  }
  return { rates, missing };
}
