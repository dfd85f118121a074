/** The host's `itemparam` table: a service's parameters (ostempl, username, panelid, ...). */
import type { Db } from './types';
import { chunks } from './batch';

/** One row of the host table `itemparam`. */
export interface DbItemparamRow {
  id: number;
  item: number;
  intname: string;
  value: string | null;
}

/** A service's parameters by intname. */
export async function itemParams(db: Db, itemId: number): Promise<Record<string, string>> {
  const rows = (await db('itemparam').where({ item: itemId }).select('intname', 'value')) as Pick<
    DbItemparamRow,
    'intname' | 'value'
  >[];
  return Object.fromEntries(rows.map((row) => [row.intname, row.value ?? '']));
}

/**
 * Services that are not deleted, of one item type, whose parameter `intname` has one of `values`:
 * value -> service id. Used to find a selling service that is already here under another name.
 */
export async function liveItemsByParam(
  db: Db,
  itemtype: string,
  intname: string,
  values: readonly string[],
): Promise<Map<string, number>> {
  if (values.length === 0) return new Map();
  const rows = (await db('itemparam as ip')
    .join('item as i', 'i.id', 'ip.item')
    .join('pricelist as p', 'p.id', 'i.pricelist')
    .join('itemtype as t', 't.id', 'p.itemtype')
    .where('ip.intname', intname)
    .whereIn('ip.value', [...values])
    .where('t.intname', itemtype)
    .whereNot('i.status', 4)
    .select({ value: 'ip.value', item: 'i.id' })) as { value: string; item: number }[];
  return new Map(rows.map((row) => [row.value, Number(row.item)]));
}

/** `itemparam` has UNIQUE (item, intname): insert or replace each value, a chunk per statement. */
export async function upsertItemParams(
  db: Db,
  params: readonly { item: number; intname: string; value: string }[],
): Promise<void> {
  for (const chunk of chunks(params)) {
    await db('itemparam').insert(chunk).onConflict(['item', 'intname']).merge(['value']);
  }
}
