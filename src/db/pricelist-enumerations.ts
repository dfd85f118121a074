/** Enumeration add-ons: `enumeration`, `enumerationitem` and the item prices of an add-on tariff, `pricelistenumerationitem`. */
import type { Knex } from 'knex';
import { insertPrice, type PriceAmounts } from './pricelist';

type Db = Knex | Knex.Transaction;

export interface DbEnumerationRow {
  id: number;
  name: string | null;
  intname: string | null;
}

export interface DbEnumerationItemRow {
  id: number;
  enumeration: number;
  name: string | null;
  intname: string | null;
  orderpriority: number | null;
}

export interface DbPricelistEnumerationItemRow {
  pricelist: number;
  enumerationitem: number;
  price: number | null;
}

/** An enumeration item priced on an add-on tariff. */
export interface PricedEnumerationItem extends DbPricelistEnumerationItemRow {
  intname: string | null;
  name: string | null;
}

export async function findEnumeration(db: Db, intname: string): Promise<DbEnumerationRow | undefined> {
  return db<DbEnumerationRow>('enumeration').where({ intname }).orderBy('id').first();
}

export async function getEnumeration(db: Db, id: number): Promise<DbEnumerationRow | undefined> {
  return db<DbEnumerationRow>('enumeration').where({ id }).first();
}

export async function insertEnumeration(db: Db, row: Omit<DbEnumerationRow, 'id'>): Promise<number> {
  const [id] = await db('enumeration').insert(row);
  return Number(id);
}

export async function listEnumerationItems(db: Db, enumeration: number): Promise<DbEnumerationItemRow[]> {
  return db<DbEnumerationItemRow>('enumerationitem').where({ enumeration }).orderBy('id');
}

export async function insertEnumerationItem(db: Db, row: Omit<DbEnumerationItemRow, 'id'>): Promise<number> {
  const [id] = await db('enumerationitem').insert(row);
  return Number(id);
}

/** The enumeration items an add-on tariff prices. */
export async function listPricedItems(db: Db, pricelist: number): Promise<PricedEnumerationItem[]> {
  const rows = await db('pricelistenumerationitem as p')
    .join('enumerationitem as e', 'e.id', 'p.enumerationitem')
    .where('p.pricelist', pricelist)
    .select('p.pricelist', 'p.enumerationitem', 'p.price', 'e.intname', 'e.name')
    .orderBy('e.id');
  return rows as PricedEnumerationItem[];
}

/** Prices an enumeration item on an add-on tariff: one `price` row in `currency`. */
export async function insertItemPrice(
  db: Db,
  pricelist: number,
  enumerationitem: number,
  currency: number,
  amounts: PriceAmounts,
): Promise<void> {
  const price = await insertPrice(db, currency, amounts);
  await db('pricelistenumerationitem').insert({ pricelist, enumerationitem, price });
}

export async function deleteItemPrices(
  db: Db,
  pricelist: number,
  enumerationitems: readonly number[],
): Promise<void> {
  if (enumerationitems.length === 0) return;
  const rows = db('pricelistenumerationitem')
    .where({ pricelist })
    .whereIn('enumerationitem', enumerationitems);
  const priceIds = (await rows.clone().whereNotNull('price').pluck('price')).map(Number);
  await rows.clone().delete();
  if (priceIds.length > 0) await db('price').whereIn('id', priceIds).delete();
}
