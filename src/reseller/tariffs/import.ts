/** Tariff import (seed 004 "Importing tariff plan", seed 003 "Importing tariff plans"): list selling tariffs, import one. */
import type { Knex } from 'knex';
import { SellingApiError, type SellingClient } from '../../billmgr-api/types';
import { HostError } from '../../contract/errors';
import { buildDoc } from '../../contract/xml';
import { listPeriodMappings } from '../../db/period-mapping';
import {
  findImportedPricelist,
  findItemtype,
  insertPricelist,
  insertPricelistPrice,
  linkPricelistToModule,
  lockModuleTariffs,
  type DbItemtypeRow,
  type DbPricelistRow,
} from '../../db/pricelist';
import { PRICE_COLUMNS, periodOfColumn, uncoveredPeriods } from '../../domain/periods';
import type { TariffReport } from './changes';
import { loadMainCurrency, loadRates } from './host-currencies';
import {
  foreignCurrencies,
  hostAmounts,
  missingRates,
  pickPrice,
  TariffRefusedError,
  uncoveredMessage,
  type PricingRules,
} from './pricing';
import { reconcileTariff } from './reconcile';
import { exportTariff, exportTariffs, type SellingTariff } from '../../billmgr-api/pricelist-export';

export interface TariffDeps {
  db: Knex;
  selling: SellingClient;
  /** The processing module (`--module`). */
  module: number;
  /** Told of each selling tariff that cannot be read and is left out of a listing. */
  warn?: (message: string) => void;
}

/** The intname that ties a local tariff to its selling tariff (seed 004: "5-intname"). */
export function importedIntname(tariff: Pick<SellingTariff, 'id' | 'intname'>): string {
  return `${tariff.id}-${tariff.intname}`;
}

/** The selling tariffs of the given product types, with the local tariff each was imported as. */
export async function listSellingTariffs(deps: TariffDeps, itemtypes: readonly string[]): Promise<string> {
  const elems: Record<string, unknown>[] = [];
  for (const itemtype of itemtypes) {
    const { tariffs, unreadable } = await exportTariffs(deps.selling, { itemtype });
    for (const broken of unreadable) deps.warn?.(`${broken.error.message}: left out of the list`);
    for (const tariff of tariffs) {
      const local = await findImportedPricelist(deps.db, deps.module, tariff.id);
      const price = tariff.prices[0];
      elems.push({
        id: tariff.id,
        name: tariff.name,
        intname: tariff.intname,
        itemtype: tariff.itemtype || itemtype,
        currency: price?.currency ?? '',
        periods: price?.costs.map((c) => c.period).join(',') ?? '',
        addons: tariff.addons.filter((a) => a.active).length,
        imported: local ? 'on' : 'off',
        ...(local ? { pricelist: local.id } : {}),
      });
    }
  }
  return buildDoc(elems.length ? { elem: elems } : {});
}

/** Imports one selling tariff in one transaction; a tariff already imported is left exactly as it is. */
export async function importTariff(
  deps: TariffDeps,
  sellingId: string,
  itemtype?: string,
): Promise<TariffReport> {
  const selling = await fetchSellingTariff(deps.selling, sellingId, itemtype);
  const existing = await findImportedPricelist(deps.db, deps.module, selling.id);
  if (existing) return unchanged(existing);
  if (!selling.active) {
    throw new HostError(
      'value',
      'pricelist',
      `selling tariff ${selling.id} (${selling.name}) is not available for ordering`,
      {
        value: selling.id,
      },
    );
  }

  const itemtypeRow = await findItemtype(deps.db, selling.itemtype);
  if (!itemtypeRow) {
    throw new HostError(
      'missed',
      'itemtype',
      `the host has no product type '${selling.itemtype}' to import tariff ${selling.id} into`,
    );
  }
  const { rules, project } = await importRules(deps, selling, itemtypeRow);

  return deps.db.transaction(async (trx) => {
    if (!(await lockModuleTariffs(trx, deps.module))) {
      throw new HostError('missed', 'processingmodule', `processing module ${deps.module} does not exist`);
    }
    const raced = await findImportedPricelist(trx, deps.module, selling.id);
    if (raced) return unchanged(raced);
    const tariff = await createTariff(trx, deps.module, selling, itemtypeRow.id, project, rules);
    const changes = await reconcileTariff(
      trx,
      tariff,
      selling,
      { ...rules, pricelist: tariff.id },
      { module: deps.module, newAddonActive: 'on' },
    );
    return {
      pricelist: tariff.id,
      remoteid: selling.id,
      intname: tariff.intname ?? '',
      name: tariff.name ?? '',
      status: 'created',
      changes: [
        {
          object: 'pricelist',
          action: 'created',
          id: tariff.id,
          remoteid: selling.id,
          intname: tariff.intname ?? '',
        },
        ...changes,
      ],
    };
  });
}

/** One selling tariff by id; a tariff the selling side does not have is a `missed`/`pricelist` error. */
export async function fetchSellingTariff(
  selling: SellingClient,
  sellingId: string,
  itemtype?: string,
): Promise<SellingTariff> {
  const missing = () =>
    new HostError('missed', 'pricelist', `the selling BILLmanager has no tariff ${sellingId}`, {
      value: sellingId,
    });
  let found: SellingTariff | undefined;
  try {
    // A tariff the export has but cannot be read is refused with the error that names its field.
    found = await exportTariff(selling, itemtype, sellingId);
  } catch (err) {
    if (err instanceof SellingApiError && err.type === 'missed') throw missing();
    throw err;
  }
  if (!found) throw missing();
  return found;
}

/** Everything that must hold before anything is written; every problem is reported at once. */
async function importRules(
  deps: TariffDeps,
  selling: SellingTariff,
  itemtype: DbItemtypeRow,
): Promise<{ rules: PricingRules; project: number | null }> {
  const { main, project } = await loadMainCurrency(deps.db);
  const { rates, missing } = await loadRates(deps.db, main, foreignCurrencies(selling, main));
  const rules: PricingRules = {
    main,
    rates,
    hostPeriods: hostOrderPeriods(itemtype),
    mappings: await listPeriodMappings(deps.db, deps.module),
    itemtype: selling.itemtype,
  };
  const problems: string[] = [];
  const sold = pickPrice(selling.prices, main)?.costs.map((c) => c.period) ?? [];
  const uncovered = uncoveredPeriods(rules.hostPeriods, sold, rules.mappings, { itemtype: selling.itemtype });
  if (uncovered.length > 0) problems.push(uncoveredMessage(uncovered, sold));
  if (missing.length > 0) problems.push(...missingRates(missing, main).problems);
  if (problems.length > 0) {
    throw new TariffRefusedError(
      uncovered.length > 0 ? 'value' : 'missed',
      uncovered.length > 0 ? 'period' : 'currencyrate',
      [`tariff ${selling.id} (${selling.name}) cannot be imported`, ...problems],
    );
  }
  return { rules, project };
}

/** The order periods switched on for a product type (`itemtype.monthly = 'on'`, ...). */
export function hostOrderPeriods(itemtype: DbItemtypeRow): number[] {
  return PRICE_COLUMNS.filter((column) => itemtype[column] === 'on').map(periodOfColumn);
}

async function createTariff(
  trx: Knex.Transaction,
  module: number,
  selling: SellingTariff,
  itemtype: number,
  project: number | null,
  rules: PricingRules,
): Promise<DbPricelistRow> {
  const row = {
    name: selling.name,
    project,
    itemtype,
    intname: importedIntname(selling),
    remoteid: selling.id,
    // Seed 003: an imported tariff is reviewed, then reselling is enabled.
    active: 'off',
    parent: null,
    billtype: null,
    addontype: null,
    measure: null,
    addonlimit: null,
    addonstep: null,
    addonmax: null,
    addonmin: null,
    enumeration: null,
    enumerationitem: null,
    orderpriority: null,
  };
  const id = await insertPricelist(trx, row);
  const price = pickPrice(selling.prices, rules.main);
  if (price) await insertPricelistPrice(trx, id, rules.main.id, hostAmounts(price, rules));
  await linkPricelistToModule(trx, module, id);
  return { id, ...row };
}

function unchanged(tariff: DbPricelistRow): TariffReport {
  return {
    pricelist: tariff.id,
    remoteid: tariff.remoteid ?? '',
    intname: tariff.intname ?? '',
    name: tariff.name ?? '',
    status: 'exists',
    changes: [],
  };
}
