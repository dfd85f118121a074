/** The host's `item` table: services and their add-on child items, as the reseller module reads and links them. */
import type { Knex } from 'knex';
import type { Db } from './types';
import { chunks, updateEach } from './batch';

/** One row of the host table `item` (contract section 5); dates are `YYYY-MM-DD` strings, `cost` a decimal string. */
export interface DbItemRow {
  id: number;
  account: number | null;
  pricelist: number | null;
  lastpricelist: number | null;
  period: number | null;
  currency: number | null;
  status: number;
  createdate: string | null;
  opendate: string | null;
  expiredate: string | null;
  processingmodule: number | null;
  /** On a resold service: the selling side's id of it. */
  remoteid: string | null;
  parent: number | null;
  name: string | null;
  intvalue: number | null;
  boolvalue: string | null;
  addonlimit: number | null;
  enumerationitem: number | null;
  cost: string | null;
  autosuspend: string | null;
  employeesuspend: string | null;
  abusesuspend: string | null;
  autoprolong: number | null;
}

/** A service with what the selling side needs to know of its tariff. */
export interface ResoldItem extends DbItemRow {
  /** `itemtype.intname`: vds, dedic, vhost, soft, certificate. */
  itemtype: string;
  /** The selling tariff id (`pricelist.remoteid`), null when the tariff was not imported from the selling side. */
  pricelistRemoteid: string | null;
  pricelistIntname: string | null;
}

/** An add-on child item with its add-on tariff. */
export interface AddonItem {
  id: number;
  pricelist: number;
  /** The selling add-on id (`pricelist.remoteid` of the add-on tariff). */
  sellingAddonId: string | null;
  /** 1 boolean, 2 integer, 3 enum. */
  addontype: number | null;
  intvalue: number | null;
  boolvalue: string | null;
  enumerationitem: number | null;
  /** `enumerationitem.intname` of the chosen value (enum add-ons). */
  enumerationitemIntname: string | null;
}

const ITEM_COLUMNS = [
  'id',
  'account',
  'pricelist',
  'lastpricelist',
  'period',
  'currency',
  'status',
  'createdate',
  'opendate',
  'expiredate',
  'processingmodule',
  'remoteid',
  'parent',
  'name',
  'intvalue',
  'boolvalue',
  'addonlimit',
  'enumerationitem',
  'cost',
  'autosuspend',
  'employeesuspend',
  'abusesuspend',
  'autoprolong',
] as const;

type ResoldItemRow = DbItemRow & {
  itemtype: string | null;
  pricelist_remoteid: string | null;
  pricelist_intname: string | null;
};

function resoldItemQuery(db: Db): Knex.QueryBuilder {
  return db('item as i')
    .leftJoin('pricelist as p', 'p.id', 'i.pricelist')
    .leftJoin('itemtype as t', 't.id', 'p.itemtype')
    .select(ITEM_COLUMNS.map((c) => `i.${c}`))
    .select({ itemtype: 't.intname', pricelist_remoteid: 'p.remoteid', pricelist_intname: 'p.intname' });
}

function toResoldItem(row: ResoldItemRow): ResoldItem {
  const { itemtype, pricelist_remoteid, pricelist_intname, ...item } = row;
  return {
    ...normaliseItem(item),
    itemtype: itemtype ?? '',
    pricelistRemoteid: pricelist_remoteid || null,
    pricelistIntname: pricelist_intname,
  };
}

/** mysql2 gives whole numbers as numbers; keep ids numeric whatever the driver did with them. */
function normaliseItem(row: DbItemRow): DbItemRow {
  return {
    ...row,
    id: Number(row.id),
    status: Number(row.status),
    remoteid: row.remoteid === null || row.remoteid === '' ? null : String(row.remoteid),
  };
}

export async function getResoldItem(db: Db, id: number): Promise<ResoldItem | undefined> {
  const row = (await resoldItemQuery(db).where('i.id', id).first()) as ResoldItemRow | undefined;
  return row ? toResoldItem(row) : undefined;
}

/** The services (not add-ons) of a processing module, by id. */
export async function resoldItemsOfModule(db: Db, moduleId: number): Promise<ResoldItem[]> {
  const rows = (await resoldItemQuery(db)
    .where('i.processingmodule', moduleId)
    .whereNull('i.parent')
    .orderBy('i.id')) as ResoldItemRow[];
  return rows.map(toResoldItem);
}

/** The add-on child items of a service, with the selling add-on ids of their tariffs. */
export async function addonItemsOf(db: Db, itemId: number): Promise<AddonItem[]> {
  const rows = (await db('item as i')
    .join('pricelist as p', 'p.id', 'i.pricelist')
    .leftJoin('enumerationitem as e', 'e.id', 'i.enumerationitem')
    .where('i.parent', itemId)
    .orderBy('i.id')
    .select({
      id: 'i.id',
      pricelist: 'i.pricelist',
      sellingAddonId: 'p.remoteid',
      addontype: 'p.addontype',
      intvalue: 'i.intvalue',
      boolvalue: 'i.boolvalue',
      enumerationitem: 'i.enumerationitem',
      enumerationitemIntname: 'e.intname',
    })) as AddonItem[];
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    pricelist: Number(row.pricelist),
    sellingAddonId: row.sellingAddonId || null,
    addontype: row.addontype === null ? null : Number(row.addontype),
  }));
}

/** Links a service to its selling service. */
export async function setItemRemoteid(db: Db, id: number, remoteid: string): Promise<void> {
  await db('item').where({ id }).update({ remoteid });
}

/** Local services of a module already linked to the given selling service ids. */
export async function itemsLinkedTo(
  db: Db,
  moduleId: number,
  remoteids: readonly string[],
): Promise<Map<string, number>> {
  if (remoteids.length === 0) return new Map();
  const rows = (await db('item')
    .where({ processingmodule: moduleId })
    .whereNull('parent')
    .whereIn('remoteid', [...remoteids])
    .select('id', 'remoteid')) as { id: number; remoteid: string }[];
  return new Map(rows.map((row) => [String(row.remoteid), Number(row.id)]));
}

/** Status of each service of the module among `items` (add-on child items are not services). */
export async function moduleServiceStatuses(
  db: Db,
  moduleId: number,
  items: readonly number[],
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (const ids of chunks(items)) {
    const rows = (await db('item')
      .where({ processingmodule: moduleId })
      .whereNull('parent')
      .whereIn('id', ids)
      .select('id', 'status')) as { id: number; status: number }[];
    for (const row of rows) statuses.set(Number(row.id), Number(row.status));
  }
  return statuses;
}

/** An add-on child item whose tariff was imported from the selling side (`pricelist.remoteid` set). */
export interface SellingAddonChild {
  child: number;
  parent: number;
  /** The selling add-on id. */
  remoteid: string;
  addontype: number | null;
  enumeration: number | null;
}

/** The add-on child items of `services` with a selling add-on id, oldest first. */
export async function sellingAddonChildrenOf(
  db: Db,
  services: readonly number[],
): Promise<SellingAddonChild[]> {
  const out: SellingAddonChild[] = [];
  for (const ids of chunks(services)) {
    const rows = (await db('item as i')
      .join('pricelist as p', 'p.id', 'i.pricelist')
      .whereIn('i.parent', ids)
      .whereNotNull('p.remoteid')
      .orderBy('i.id')
      .select({
        child: 'i.id',
        parent: 'i.parent',
        remoteid: 'p.remoteid',
        addontype: 'p.addontype',
        enumeration: 'p.enumeration',
      })) as SellingAddonChild[];
    for (const row of rows)
      out.push({
        child: Number(row.child),
        parent: Number(row.parent),
        remoteid: String(row.remoteid),
        addontype: row.addontype === null ? null : Number(row.addontype),
        enumeration: row.enumeration === null ? null : Number(row.enumeration),
      });
  }
  return out;
}

/** Each service's selling tariff id and item type; null where the tariff was not imported. */
export async function sellingTariffsOf(
  db: Db,
  services: readonly number[],
): Promise<{ id: number; tariff: string | null; itemtype: string | null }[]> {
  const rows = (await db('item as i')
    .join('pricelist as p', 'p.id', 'i.pricelist')
    .leftJoin('itemtype as t', 't.id', 'p.itemtype')
    .whereIn('i.id', [...services])
    .select({ id: 'i.id', tariff: 'p.remoteid', itemtype: 't.intname' })) as {
    id: number;
    tariff: string | null;
    itemtype: string | null;
  }[];
  return rows;
}

/** Sets one column of many items, each to its own value (expiry dates, add-on values). */
export async function setItemColumn(
  db: Db,
  column: 'expiredate' | 'intvalue' | 'boolvalue' | 'enumerationitem',
  values: ReadonlyMap<number, string | number | null>,
): Promise<void> {
  await updateEach(db, 'item', column, values);
}
