/** The host's `ip` table: the IP addresses of a service. */
import type { Knex } from 'knex';

/** One row of the host table `ip` [assumed columns, see the host fixture]. */
export interface DbIpRow {
  id: number;
  item: number;
  name: string;
}

/** Services that are not deleted, of one item type, holding one of `addresses`: address -> service id. */
export async function liveItemsByIp(
  db: Knex | Knex.Transaction,
  itemtype: string,
  addresses: readonly string[],
): Promise<Map<string, number>> {
  if (addresses.length === 0) return new Map();
  const rows = (await db('ip')
    .join('item as i', 'i.id', 'ip.item')
    .join('pricelist as p', 'p.id', 'i.pricelist')
    .join('itemtype as t', 't.id', 'p.itemtype')
    .whereIn('ip.name', [...addresses])
    .where('t.intname', itemtype)
    .whereNot('i.status', 4)
    .select({ address: 'ip.name', item: 'i.id' })) as { address: string; item: number }[];
  return new Map(rows.map((row) => [row.address, Number(row.item)]));
}

/** Gives a service its addresses; addresses it already has are kept once. */
export async function addItemIps(
  db: Knex | Knex.Transaction,
  itemId: number,
  addresses: readonly string[],
): Promise<void> {
  if (addresses.length === 0) return;
  await db('ip')
    .insert(addresses.map((name) => ({ item: itemId, name })))
    .onConflict(['item', 'name'])
    .ignore();
}
