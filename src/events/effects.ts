/**
 * The data events' effects on host tables, set-based: one statement per kind of change and chunk, whatever the
 * number of services. Every write sets a value (never adds to one), so writing it twice is harmless.
 */
import type { Db } from '../db/types';
import { chunks, updateEach } from './event-rows';
import type { AddonColumn, DataWrites } from './plan';

export async function writeDataChanges(db: Db, writes: DataWrites): Promise<void> {
  await upsertParams(db, [...writes.params.values()]);
  await setIps(db, [...writes.ips.values()]);
  await updateEach(db, 'item', 'expiredate', writes.expiredates);
  await setAddonValues(db, writes.addons);
}

/** `itemparam` has UNIQUE (item, intname): insert or replace the value. */
async function upsertParams(
  db: Db,
  params: readonly { item: number; intname: string; value: string }[],
): Promise<void> {
  for (const chunk of chunks(params)) {
    await db('itemparam').insert(chunk).onConflict(['item', 'intname']).merge(['value']);
  }
}

/** `ip` has UNIQUE (item, name): an address added twice is there once; one removed twice is gone. */
async function setIps(
  db: Db,
  ips: readonly { item: number; address: string; present: boolean }[],
): Promise<void> {
  const added = ips.filter((ip) => ip.present).map((ip) => ({ item: ip.item, name: ip.address }));
  const removed = ips.filter((ip) => !ip.present).map((ip) => [ip.item, ip.address]);
  for (const chunk of chunks(added)) await db('ip').insert(chunk).onConflict(['item', 'name']).ignore();
  for (const chunk of chunks(removed)) await db('ip').whereIn(['item', 'name'], chunk).delete();
}

async function setAddonValues(db: Db, addons: DataWrites['addons']): Promise<void> {
  const byColumn = new Map<AddonColumn, Map<number, string | number>>();
  for (const [child, { column, value }] of addons) {
    const values = byColumn.get(column) ?? new Map<number, string | number>();
    values.set(child, value);
    byColumn.set(column, values);
  }
  for (const [column, values] of byColumn) await updateEach(db, 'item', column, values);
}
