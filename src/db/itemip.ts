/**
 * The host's `ip` table: the IP addresses of a service. An `ip` row hangs on the service's IP add-on, a child item
 * whose tariff's item type is an IP type (contract section 3); the core alone changes these rows.
 */
import type { Db } from './types';
import { IP_ADDON_ITEMTYPES } from '../host/facts';

/** One row of the host table `ip` [assumed columns, see the host fixture]. */
export interface DbIpRow {
  id: number;
  /** The IP add-on item, not the service. */
  item: number;
  name: string;
}

/** Services that are not deleted, of one item type, holding one of `addresses`: address -> service id. */
export async function liveItemsByIp(
  db: Db,
  itemtype: string,
  addresses: readonly string[],
): Promise<Map<string, number>> {
  if (addresses.length === 0) return new Map();
  const rows = (await db('ip')
    .join('item as a', 'a.id', 'ip.item')
    .join('item as i', 'i.id', 'a.parent')
    .join('pricelist as p', 'p.id', 'i.pricelist')
    .join('itemtype as t', 't.id', 'p.itemtype')
    .whereIn('ip.name', [...addresses])
    .where('t.intname', itemtype)
    .whereNot('i.status', 4)
    .select({ address: 'ip.name', item: 'i.id' })) as { address: string; item: number }[];
  return new Map(rows.map((row) => [row.address, Number(row.item)]));
}

/** The IP add-on item of each of `services` that has one (the first, when a service has several). */
export async function ipAddonsOf(db: Db, services: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < services.length; i += 1000) {
    const rows = (await db('item as a')
      .join('pricelist as p', 'p.id', 'a.pricelist')
      .join('itemtype as t', 't.id', 'p.itemtype')
      .whereIn('a.parent', services.slice(i, i + 1000))
      .whereIn('t.intname', [...IP_ADDON_ITEMTYPES])
      .whereNot('a.status', 4)
      .orderBy('a.id')
      .select({ service: 'a.parent', addon: 'a.id' })) as { service: number; addon: number }[];
    for (const row of rows)
      if (!out.has(Number(row.service))) out.set(Number(row.service), Number(row.addon));
  }
  return out;
}

/** The `ip` rows of the IP add-ons `addons`: `${addon}\0${address}` -> row id. */
export async function ipRowsOf(db: Db, addons: readonly number[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < addons.length; i += 1000) {
    const rows = (await db('ip')
      .whereIn('item', addons.slice(i, i + 1000))
      .select('id', 'item', 'name')) as DbIpRow[];
    for (const row of rows) out.set(ipKey(Number(row.item), row.name), Number(row.id));
  }
  return out;
}

export function ipKey(addon: number, address: string): string {
  return `${addon}\u0000${address}`;
}

/**
 * The plugin's journal of IP rows added and not yet committed (bmp_ip_uncommitted): what `addIp` writes between
 * its two calls, so that a commit that did not happen is made later.
 */
export interface IpCommitJournal {
  added(ip: readonly number[]): Promise<void>;
  committed(ip: readonly number[]): Promise<void>;
}

export function ipCommitJournal(db: Db, now: () => string): IpCommitJournal {
  return {
    async added(ips) {
      for (let i = 0; i < ips.length; i += 1000) {
        const rows = ips.slice(i, i + 1000).map((ip) => ({ ip, added_at: now() }));
        await db('bmp_ip_uncommitted').insert(rows).onConflict('ip').ignore();
      }
    },
    async committed(ips) {
      for (let i = 0; i < ips.length; i += 1000)
        await db('bmp_ip_uncommitted')
          .whereIn('ip', ips.slice(i, i + 1000))
          .delete();
    },
  };
}

/** Which of the ip rows `ids` were added by the plugin and not seen committed. */
export async function uncommittedIps(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = (await db('bmp_ip_uncommitted')
      .whereIn('ip', ids.slice(i, i + 1000))
      .pluck('ip')) as Array<number | string>;
    for (const ip of rows) out.add(Number(ip));
  }
  return out;
}
