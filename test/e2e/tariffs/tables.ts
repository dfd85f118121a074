/** Reads the host's tariff tables for e2e assertions: whole-table snapshots and one tariff's rows. */
import type { Knex } from 'knex';
import type { XmlNode } from '../../../src/contract/xml';
import { asList, textOf } from '../../../src/contract/xml';

/** Every table tariff import and sync write to. */
export const TARIFF_TABLES = [
  'pricelist',
  'price',
  'pricelistprice',
  'processingmodule2pricelist',
  'measure',
  'itemtypeparam',
  'itemtypeparamvalue',
  'pricelist2itemtypeparamvalue',
  'enumeration',
  'enumerationitem',
  'pricelistenumerationitem',
] as const;

/** All rows of the tariff tables, in a stable order: equal snapshots mean nothing was written. */
export async function snapshotTariffTables(db: Knex): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of TARIFF_TABLES) {
    const rows = await db(table).select();
    snapshot[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return snapshot;
}

export async function rowCounts(db: Knex): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TARIFF_TABLES) {
    const row = await db(table).count({ n: '*' }).first();
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** A tariff's price row in a currency, as { monthly: '924.5000', ... } with only the set columns. */
export async function pricesOf(
  db: Knex,
  pricelist: number,
  currency: number,
): Promise<Record<string, string>> {
  const link = await db('pricelistprice').where({ pricelist, currency }).first();
  if (!link) return {};
  const row = (await db('price').where({ id: link.price }).first()) as Record<string, unknown>;
  return setColumns(row);
}

export function setColumns(row: Record<string, unknown>): Record<string, string> {
  const columns = ['trial', 'day', 'monthly', 'quarterly', 'semiannual', 'annually', 'biennial', 'lifetime'];
  return Object.fromEntries(
    columns.filter((c) => row[c] !== null && row[c] !== undefined).map((c) => [c, String(row[c])]),
  );
}

/** The intnames of the parameter values a tariff offers. */
export async function assignedValues(db: Knex, pricelist: number): Promise<string[]> {
  const rows = await db('pricelist2itemtypeparamvalue as a')
    .join('itemtypeparamvalue as v', 'v.id', 'a.itemtypeparamvalue')
    .where('a.pricelist', pricelist)
    .select('v.intname');
  return rows.map((r: { intname: string }) => r.intname).sort();
}

/** The enumeration items an add-on tariff prices, by intname, with their monthly price. */
export async function enumerationPrices(db: Knex, addon: number): Promise<Record<string, string | null>> {
  const rows = await db('pricelistenumerationitem as p')
    .join('enumerationitem as e', 'e.id', 'p.enumerationitem')
    .leftJoin('price as c', 'c.id', 'p.price')
    .where('p.pricelist', addon)
    .select('e.intname', 'c.monthly');
  return Object.fromEntries(
    rows.map((r: { intname: string; monthly: string | null }) => [r.intname, r.monthly]),
  );
}

export interface DocChange {
  object: string;
  action: string;
  intname: string;
  detail: string;
}

/** The `<change>` elements of every `<pricelist>` in an import or sync report. */
export function changesOf(doc: XmlNode | undefined): DocChange[] {
  const changes: DocChange[] = [];
  for (const pricelist of asList(doc?.pricelist as XmlNode | XmlNode[] | undefined)) {
    const list = pricelist.changes as XmlNode | string | undefined;
    if (typeof list !== 'object') continue;
    for (const change of asList(list.change as XmlNode | XmlNode[] | undefined)) {
      const attrs = change.$ ?? {};
      changes.push({
        object: attrs.object ?? '',
        action: attrs.action ?? '',
        intname: attrs.intname ?? '',
        detail: textOf(change) ?? '',
      });
    }
  }
  return changes;
}

/** `<doc><error type object><msg/></error></doc>` of a failed run. */
export function errorOfDoc(
  doc: XmlNode | undefined,
): { type: string; object: string; msg: string } | undefined {
  const error = doc?.error as XmlNode | undefined;
  if (!error || typeof error !== 'object') return undefined;
  return { type: error.$?.type ?? '', object: error.$?.object ?? '', msg: textOf(error.msg) ?? '' };
}
