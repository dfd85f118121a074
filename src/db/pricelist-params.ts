/** Product type parameters a tariff offers values of (OS templates, software): `itemtypeparam`, `itemtypeparamvalue`, `pricelist2itemtypeparamvalue`. */
import type { Db } from './types';

/** The columns of the host table `itemtypeparam` that the plugin reads and writes. */
export interface DbItemtypeParamRow {
  id: number;
  itemtype: number | null;
  intname: string | null;
  name: string | null;
  orderpriority: number | null;
}

/** The columns of the host table `itemtypeparamvalue` that the plugin reads and writes. */
export interface DbItemtypeParamValueRow {
  id: number;
  itemtypeparam: number | null;
  intname: string | null;
  name: string | null;
  tags: string | null;
  orderpriority: number | null;
}

export interface DbPricelist2ItemtypeParamValueRow {
  pricelist: number;
  itemtypeparamvalue: number;
}

/** A parameter value assigned to a tariff, with the parameter it belongs to. */
export interface AssignedParamValue extends DbItemtypeParamValueRow {
  paramIntname: string;
}

export async function findItemtypeParam(
  db: Db,
  itemtype: number,
  intname: string,
): Promise<DbItemtypeParamRow | undefined> {
  return db<DbItemtypeParamRow>('itemtypeparam')
    .select(['id', 'itemtype', 'intname', 'name', 'orderpriority'])
    .where({ itemtype, intname })
    .orderBy('id')
    .first();
}

export async function insertItemtypeParam(
  db: Db,
  row: Omit<DbItemtypeParamRow, 'id' | 'orderpriority'>,
): Promise<number> {
  const [id] = await db('itemtypeparam').insert(row);
  return Number(id);
}

export async function listParamValues(db: Db, itemtypeparam: number): Promise<DbItemtypeParamValueRow[]> {
  return db<DbItemtypeParamValueRow>('itemtypeparamvalue')
    .select(['id', 'itemtypeparam', 'intname', 'name', 'tags', 'orderpriority'])
    .where({ itemtypeparam })
    .orderBy('id');
}

export async function insertParamValue(db: Db, row: Omit<DbItemtypeParamValueRow, 'id'>): Promise<number> {
  const [id] = await db('itemtypeparamvalue').insert(row);
  return Number(id);
}

export async function updateParamValue(
  db: Db,
  id: number,
  changes: Partial<Pick<DbItemtypeParamValueRow, 'name' | 'tags'>>,
): Promise<void> {
  await db('itemtypeparamvalue').where({ id }).update(changes);
}

/** The parameter values a tariff offers, with their parameter's intname. */
export async function listAssignedValues(db: Db, pricelist: number): Promise<AssignedParamValue[]> {
  const rows = await db('pricelist2itemtypeparamvalue as a')
    .join('itemtypeparamvalue as v', 'v.id', 'a.itemtypeparamvalue')
    .join('itemtypeparam as p', 'p.id', 'v.itemtypeparam')
    .where('a.pricelist', pricelist)
    .select(
      'v.id',
      'v.itemtypeparam',
      'v.intname',
      'v.name',
      'v.tags',
      'v.orderpriority',
      'p.intname as paramIntname',
    )
    .orderBy('v.id');
  return rows as AssignedParamValue[];
}

export async function assignValue(db: Db, pricelist: number, itemtypeparamvalue: number): Promise<void> {
  const found = await db('pricelist2itemtypeparamvalue').where({ pricelist, itemtypeparamvalue }).first();
  if (!found) await db('pricelist2itemtypeparamvalue').insert({ pricelist, itemtypeparamvalue });
}

export async function unassignValues(db: Db, pricelist: number, values: readonly number[]): Promise<void> {
  if (values.length === 0) return;
  await db('pricelist2itemtypeparamvalue')
    .where({ pricelist })
    .whereIn('itemtypeparamvalue', values)
    .delete();
}
