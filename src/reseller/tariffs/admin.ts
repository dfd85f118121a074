/**
 * Tariff administration (seed 003 "Editing the tariff plan", "Enable reselling") and the period comparison
 * properties of a module (seed 004 "Matching periods"), as the admin CLI uses them.
 */
import { withTransaction } from '../../db/transaction';
import { MODULE_NAME } from '../../module-name';
import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { HostError } from '../../contract/errors';
import {
  deletePeriodMapping,
  listPeriodMappingRows,
  upsertPeriodMapping,
  type DbPeriodMappingRow,
} from '../../db/period-mapping';
import { getProcessingModule } from '../../db/processing-module';
import {
  countAddonPricelists,
  findItemtype,
  findPricelistPrice,
  getItemtype,
  getPricelist,
  insertPricelistPrice,
  pricelistsLinkedToModules,
  updatePrice,
  updatePricelist,
} from '../../db/pricelist';
import { parseMoney, toMajorString } from '../../domain/money';
import { columnOfPeriod, periodLabel, type PriceColumn } from '../../domain/periods';
import { loadMainCurrency } from './host-currencies';

export interface TariffSummary {
  id: number;
  name: string;
  intname: string;
  remoteid: string;
  itemtype: string;
  active: boolean;
  module: number;
  addons: number;
  currency: string;
  /** Price per period label ("1 month": "924.50"), in the main currency. */
  costs: Record<string, string>;
}

/** The tariffs imported through pmbillmgr modules (or one module), with their prices in the main currency. */
export async function listImportedTariffs(db: Knex, module?: number): Promise<TariffSummary[]> {
  const rows = await pricelistsLinkedToModules(db, MODULE_NAME, module);
  const { main } = await loadMainCurrency(db);
  const summaries: TariffSummary[] = [];
  for (const row of rows) {
    const price = await findPricelistPrice(db, Number(row.id), main.id);
    const addons = await countAddonPricelists(db, Number(row.id));
    summaries.push({
      id: Number(row.id),
      name: row.name ?? '',
      intname: row.intname ?? '',
      remoteid: row.remoteid ?? '',
      itemtype: row.itemtype ?? '',
      active: row.active === 'on',
      module: Number(row.module),
      addons,
      currency: main.iso,
      costs: price ? costsOf(price) : {},
    });
  }
  return summaries;
}

function costsOf(price: Partial<Record<PriceColumn, string | null>>): Record<string, string> {
  const costs: Record<string, string> = {};
  for (const period of [-100, -50, 1, 3, 6, 12, 24, 36, 48, 60, 120, 0]) {
    const column = columnOfPeriod(period);
    const value = column ? price[column] : null;
    if (value !== null && value !== undefined) costs[periodLabel(period)] = displayAmount(value);
  }
  return costs;
}

/** "924.5000" -> "924.50", "0.0125" -> "0.0125": at least two places, never a digit less than stored. */
function displayAmount(value: string): string {
  const amount = new Decimal(value);
  return amount.toFixed(Math.max(2, amount.decimalPlaces()));
}

export interface TariffEdit {
  name?: string;
  /** New cost per period (API months), major units in the main currency as typed: "12.50". */
  costs?: ReadonlyMap<number, string>;
}

/** Changes a tariff's name and costs in one transaction; an amount that is not a price changes nothing. */
export async function editTariff(db: Knex, id: number, edit: TariffEdit): Promise<TariffSummary> {
  if (edit.name !== undefined && edit.name.trim() === '')
    throw new HostError('value', 'name', 'the tariff name cannot be empty');
  const { main } = await loadMainCurrency(db);
  const amounts: Partial<Record<PriceColumn, string>> = {};
  for (const [period, amount] of edit.costs ?? []) {
    const column = columnOfPeriod(period);
    if (!column)
      throw new HostError('value', 'cost', `the host has no price column for ${periodLabel(period)}`);
    if (!/^\d+(\.\d+)?$/.test(amount.trim())) {
      throw new HostError('value', 'cost', `cost '${amount}' for ${periodLabel(period)} is not an amount`);
    }
    amounts[column] = toMajorString(parseMoney(amount.trim(), main.iso));
  }
  await withTransaction(db, async (trx) => {
    const tariff = await getPricelist(trx, id);
    if (!tariff || tariff.parent !== null)
      throw new HostError('missed', 'pricelist', `tariff ${id} does not exist`, { value: String(id) });
    if (edit.name !== undefined) await updatePricelist(trx, id, { name: edit.name.trim() });
    if (Object.keys(amounts).length > 0) {
      const price = await findPricelistPrice(trx, id, main.id);
      if (price) await updatePrice(trx, price.id, amounts);
      else await insertPricelistPrice(trx, id, main.id, amounts);
    }
  });
  const summary = (await listImportedTariffs(db)).find((t) => t.id === id);
  if (!summary)
    throw new HostError('missed', 'pricelist', `tariff ${id} is not an imported pmbillmgr tariff`);
  return summary;
}

/** Enables or disables reselling of several tariffs at once: all of them, or none when one does not exist. */
export async function setReselling(
  db: Knex,
  ids: readonly number[],
  active: boolean,
): Promise<{ id: number; name: string; changed: boolean }[]> {
  return withTransaction(db, async (trx) => {
    const tariffs = await Promise.all(ids.map(async (id) => ({ id, row: await getPricelist(trx, id) })));
    const missing = tariffs.filter((t) => !t.row || t.row.parent !== null).map((t) => t.id);
    if (missing.length > 0)
      throw new HostError('missed', 'pricelist', `no tariff ${missing.join(', ')}: nothing was changed`);
    const flag = active ? 'on' : 'off';
    const results = [];
    for (const { id, row } of tariffs) {
      const changed = row?.active !== flag;
      if (changed) await updatePricelist(trx, id, { active: flag });
      results.push({ id, name: row?.name ?? '', changed });
    }
    return results;
  });
}

export interface PeriodMappingInput {
  module: number;
  source: number;
  target: number;
  itemtype?: string;
  pricelist?: number;
}

/** A period comparison as the admin sees it: null where it applies to any product type or tariff. */
export interface PeriodMappingView {
  id: number;
  module: number;
  from: number;
  to: number;
  itemtype: string | null;
  tariff: number | null;
}

function periodMappingView(row: DbPeriodMappingRow): PeriodMappingView {
  return {
    id: Number(row.id),
    module: Number(row.processingmodule),
    from: Number(row.source_period),
    to: Number(row.target_period),
    itemtype: row.itemtype || null,
    tariff: Number(row.pricelist) || null,
  };
}

/** Adds a period comparison (or changes the target of the same one); checks what it refers to exists. */
export async function addPeriodMapping(db: Knex, input: PeriodMappingInput): Promise<PeriodMappingView> {
  if (input.source === input.target) {
    throw new HostError('value', 'target', `mapping ${periodLabel(input.source)} to itself changes nothing`);
  }
  const module = await getProcessingModule(db, input.module);
  if (!module || module.module !== MODULE_NAME) {
    throw new HostError(
      'missed',
      'processingmodule',
      `processing module ${input.module} is not a ${MODULE_NAME} module`,
    );
  }
  if (input.itemtype !== undefined && !(await findItemtype(db, input.itemtype))) {
    throw new HostError('missed', 'itemtype', `the host has no product type '${input.itemtype}'`);
  }
  if (input.pricelist !== undefined) await checkMappedTariff(db, input.pricelist, input.itemtype);
  const saved = await upsertPeriodMapping(db, {
    processingmodule: input.module,
    source_period: input.source,
    target_period: input.target,
    itemtype: input.itemtype ?? '',
    pricelist: input.pricelist ?? 0,
  });
  return periodMappingView(saved);
}

async function checkMappedTariff(db: Knex, id: number, itemtype?: string): Promise<void> {
  const tariff = await getPricelist(db, id);
  if (!tariff || tariff.parent !== null)
    throw new HostError('missed', 'pricelist', `tariff ${id} does not exist`);
  const type = tariff.itemtype === null ? undefined : await getItemtype(db, tariff.itemtype);
  if (itemtype !== undefined && type?.intname !== itemtype) {
    throw new HostError(
      'value',
      'itemtype',
      `tariff ${id} is of product type '${type?.intname ?? ''}', not '${itemtype}'`,
    );
  }
}

export async function listPeriodMappingsOf(db: Knex, module?: number): Promise<PeriodMappingView[]> {
  return (await listPeriodMappingRows(db, module)).map(periodMappingView);
}

export async function removePeriodMappings(
  db: Knex,
  ids: readonly number[],
): Promise<{ removed: number[]; missing: number[] }> {
  const removed: number[] = [];
  const missing: number[] = [];
  for (const id of ids) ((await deletePeriodMapping(db, id)) ? removed : missing).push(id);
  return { removed, missing };
}
