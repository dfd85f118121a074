/** Host tariffs: `pricelist` (tariffs and their add-ons), `price`, `pricelistprice`, `processingmodule2pricelist`, `measure`, `itemtype`. */
import { IP_ADDON_ITEMTYPES } from '../host/facts';
import type { Knex } from 'knex';
import type { Db } from './types';
import { PRICE_COLUMNS, type PriceColumn } from '../domain/periods';

/** The columns of the host table `pricelist` that the plugin reads and writes (the table has many more). */
export interface DbPricelistRow {
  id: number;
  orderpriority: number | null;
  name: string | null;
  project: number | null;
  itemtype: number | null;
  billtype: number | null;
  active: string | null;
  intname: string | null;
  addontype: number | null;
  measure: number | null;
  parent: number | null;
  addonlimit: number | null;
  addonstep: number | null;
  addonmax: number | null;
  addonmin: number | null;
  enumeration: number | null;
  enumerationitem: number | null;
  remoteid: string | null;
}

/** One row of `price`: an amount per period column (decimal strings, 4 places) in `currency`. */
export type DbPriceRow = { id: number; setup: string | null; currency: number | null } & Record<
  PriceColumn,
  string | null
>;

export interface DbPricelistPriceRow {
  pricelist: number;
  currency: number;
  price: number;
}

export interface DbProcessingModule2PricelistRow {
  processingmodule: number;
  pricelist: number;
  orderpriority: string | null;
}

export interface DbMeasureRow {
  id: number;
  name: string | null;
  intname: string | null;
}

/** The columns of `itemtype` the plugin reads: the product type and the order periods switched on for it. */
export type DbItemtypeRow = { id: number; intname: string | null; name: string | null } & Record<
  PriceColumn,
  string | null
>;

const PRICELIST_COLUMNS: string[] = [
  'id',
  'orderpriority',
  'name',
  'project',
  'itemtype',
  'billtype',
  'active',
  'intname',
  'addontype',
  'measure',
  'parent',
  'addonlimit',
  'addonstep',
  'addonmax',
  'addonmin',
  'enumeration',
  'enumerationitem',
  'remoteid',
];

export type NewPricelist = Partial<Omit<DbPricelistRow, 'id'>>;

export async function insertPricelist(db: Db, row: NewPricelist): Promise<number> {
  const [id] = await db('pricelist').insert(row);
  return Number(id);
}

export async function getPricelist(db: Db, id: number): Promise<DbPricelistRow | undefined> {
  return db('pricelist').select<DbPricelistRow[]>(PRICELIST_COLUMNS).where({ id }).first();
}

export async function updatePricelist(db: Db, id: number, changes: NewPricelist): Promise<void> {
  await db('pricelist').where({ id }).update(changes);
}

/** The add-on tariffs of a tariff, in id order. */
/**
 * The add-on tariffs of a tariff that came from the selling side. The provider's own IP add-on (its item type is an
 * IP type, no selling id) is not one of them: the host's addresses hang on it, and a sync leaves it alone.
 */
export async function listAddonPricelists(db: Db, parent: number): Promise<DbPricelistRow[]> {
  return db('pricelist')
    .select<DbPricelistRow[]>(PRICELIST_COLUMNS)
    .where({ parent })
    .where((q) =>
      q
        .whereNotNull('remoteid')
        .orWhereNotIn(
          'itemtype',
          db('itemtype')
            .whereIn('intname', [...IP_ADDON_ITEMTYPES])
            .select('id'),
        )
        .orWhereNull('itemtype'),
    )
    .orderBy('id');
}

/** The module's imported tariff for a selling tariff id, if there is one. */
export async function findImportedPricelist(
  db: Db,
  processingmodule: number,
  sellingId: string,
): Promise<DbPricelistRow | undefined> {
  return db<DbPricelistRow>('pricelist as p')
    .join('processingmodule2pricelist as m', 'm.pricelist', 'p.id')
    .where({ 'm.processingmodule': processingmodule, 'p.remoteid': sellingId })
    .whereNull('p.parent')
    .select(PRICELIST_COLUMNS.map((c) => `p.${c}`))
    .orderBy('p.id')
    .first();
}

/** The tariffs (not add-ons) linked to a processing module. */
export async function listModulePricelists(db: Db, processingmodule: number): Promise<DbPricelistRow[]> {
  return db<DbPricelistRow>('pricelist as p')
    .join('processingmodule2pricelist as m', 'm.pricelist', 'p.id')
    .where({ 'm.processingmodule': processingmodule })
    .whereNull('p.parent')
    .select(PRICELIST_COLUMNS.map((c) => `p.${c}`))
    .orderBy('p.id');
}

export async function linkPricelistToModule(
  db: Db,
  processingmodule: number,
  pricelist: number,
): Promise<void> {
  const linked = await db('processingmodule2pricelist').where({ processingmodule, pricelist }).first();
  if (!linked) await db('processingmodule2pricelist').insert({ processingmodule, pricelist });
}

/** The processing modules a tariff is linked to. */
export async function modulesOfPricelist(db: Db, pricelist: number): Promise<number[]> {
  const rows = await db<DbProcessingModule2PricelistRow>('processingmodule2pricelist')
    .where({ pricelist })
    .select('processingmodule');
  return rows.map((r) => Number(r.processingmodule));
}

export type PriceAmounts = Partial<Record<PriceColumn, string>>;

export async function insertPrice(db: Db, currency: number, amounts: PriceAmounts): Promise<number> {
  const [id] = await db('price').insert({ currency, ...amounts });
  return Number(id);
}

export async function getPrice(db: Db, id: number): Promise<DbPriceRow | undefined> {
  return db<DbPriceRow>('price')
    .select(['id', 'setup', 'currency', ...PRICE_COLUMNS])
    .where({ id })
    .first();
}

export async function updatePrice(db: Db, id: number, amounts: PriceAmounts): Promise<void> {
  await db('price').where({ id }).update(amounts);
}

/** Gives a tariff its price row in `currency` (contract section 5: `pricelistprice.price` points to `price`). */
export async function insertPricelistPrice(
  db: Db,
  pricelist: number,
  currency: number,
  amounts: PriceAmounts,
): Promise<number> {
  const price = await insertPrice(db, currency, amounts);
  await db('pricelistprice').insert({ pricelist, currency, price });
  return price;
}

/** The price row of a tariff in one currency. */
export async function findPricelistPrice(
  db: Db,
  pricelist: number,
  currency: number,
): Promise<DbPriceRow | undefined> {
  const link = await db<DbPricelistPriceRow>('pricelistprice').where({ pricelist, currency }).first();
  return link ? getPrice(db, Number(link.price)) : undefined;
}

/** Deletes tariffs (add-ons) with their prices, enumeration prices, option assignments and module links. */
export async function deletePricelists(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const priceIds = [
    ...(await db('pricelistprice').whereIn('pricelist', ids).pluck('price')),
    ...(await db('pricelistenumerationitem').whereIn('pricelist', ids).whereNotNull('price').pluck('price')),
  ].map(Number);
  await db('pricelistprice').whereIn('pricelist', ids).delete();
  await db('pricelistenumerationitem').whereIn('pricelist', ids).delete();
  await db('pricelist2itemtypeparamvalue').whereIn('pricelist', ids).delete();
  await db('processingmodule2pricelist').whereIn('pricelist', ids).delete();
  if (priceIds.length > 0) await db('price').whereIn('id', priceIds).delete();
  await db('pricelist').whereIn('id', ids).delete();
}

export async function findItemtype(db: Db, intname: string): Promise<DbItemtypeRow | undefined> {
  return db<DbItemtypeRow>('itemtype')
    .select(['id', 'intname', 'name', ...PRICE_COLUMNS])
    .where({ intname })
    .orderBy('id')
    .first();
}

export async function getItemtype(db: Db, id: number): Promise<DbItemtypeRow | undefined> {
  return db<DbItemtypeRow>('itemtype')
    .select(['id', 'intname', 'name', ...PRICE_COLUMNS])
    .where({ id })
    .first();
}

/** The id of a unit of measure (`MB`, `GB`), created when the host does not have it yet. */
export async function ensureMeasure(db: Db, intname: string): Promise<number> {
  const found = await db<DbMeasureRow>('measure').where({ intname }).orderBy('id').first();
  if (found) return Number(found.id);
  const [id] = await db('measure').insert({ intname, name: intname });
  return Number(id);
}

export async function measureIntname(db: Db, id: number | null): Promise<string | undefined> {
  if (id === null) return undefined;
  const row = await db<DbMeasureRow>('measure').where({ id }).first();
  return row?.intname ?? undefined;
}

/**
 * Serialises tariff import and sync of one processing module: the first statement of their transaction locks
 * the module's row, so a second run waits and then sees the first one's rows (host tables have no unique keys
 * to lean on). SQLite runs one writer at a time anyway.
 */
export async function lockModuleTariffs(trx: Knex.Transaction, processingmodule: number): Promise<boolean> {
  const query = trx('processingmodule').where({ id: processingmodule }).select('id');
  const row = await (
    String(trx.client.config.client).startsWith('mysql') ? query.forUpdate() : query
  ).first();
  return row !== undefined;
}

/** A main tariff linked to a processing module of `moduleName`, with its item type. */
export interface LinkedPricelistRow {
  id: number;
  name: string | null;
  intname: string | null;
  remoteid: string | null;
  active: string | null;
  module: number;
  itemtype: string | null;
}

/** The main tariffs linked to modules of `moduleName` (or to one module of it), by id. */
export async function pricelistsLinkedToModules(
  db: Db,
  moduleName: string,
  module?: number,
): Promise<LinkedPricelistRow[]> {
  const query = db('pricelist as p')
    .join('processingmodule2pricelist as l', 'l.pricelist', 'p.id')
    .join('processingmodule as m', 'm.id', 'l.processingmodule')
    .leftJoin('itemtype as t', 't.id', 'p.itemtype')
    .where('m.module', moduleName)
    .whereNull('p.parent')
    .select(
      'p.id',
      'p.name',
      'p.intname',
      'p.remoteid',
      'p.active',
      'l.processingmodule as module',
      't.intname as itemtype',
    )
    .orderBy('p.id');
  if (module !== undefined) query.where('l.processingmodule', module);
  return (await query) as LinkedPricelistRow[];
}

/** How many add-on tariffs hang on `parent`. */
export async function countAddonPricelists(db: Db, parent: number): Promise<number> {
  const row = (await db('pricelist').where({ parent }).count({ n: '*' }).first()) as { n?: number | string };
  return Number(row?.n ?? 0);
}
