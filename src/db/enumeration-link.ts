/**
 * The plugin's `bmp_enumeration_link`: the host enumeration item that stands for a selling one, per module and
 * selling add-on. Lookups take (selling add-on, id) pairs and answer by `linkKey` of the pair.
 */
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface DbEnumerationLinkRow {
  id: number;
  processingmodule: number;
  selling_addon: string;
  selling_item: string;
  enumerationitem: number;
}

export function linkKey(sellingAddon: string, id: string | number): string {
  return `${sellingAddon}\u0000${id}`;
}

/** `linkKey(selling add-on, selling item id)` -> host enumeration item, for the pairs that have a link. */
export async function linkedLocalItems(
  db: Db,
  module: number,
  pairs: readonly { sellingAddon: string; sellingItem: string }[],
): Promise<Map<string, number>> {
  const rows = await linkRows(db, module, pairs, (q) =>
    q.whereIn('selling_item', [...new Set(pairs.map((p) => p.sellingItem))]),
  );
  return new Map(
    rows.map((row) => [linkKey(row.selling_addon, row.selling_item), Number(row.enumerationitem)]),
  );
}

/** `linkKey(selling add-on, host enumeration item)` -> selling item id, for the pairs that have a link. */
export async function linkedSellingItems(
  db: Db,
  module: number,
  pairs: readonly { sellingAddon: string; enumerationitem: number }[],
): Promise<Map<string, string>> {
  const rows = await linkRows(db, module, pairs, (q) =>
    q.whereIn('enumerationitem', [...new Set(pairs.map((p) => p.enumerationitem))]),
  );
  return new Map(
    rows.map((row) => [linkKey(row.selling_addon, row.enumerationitem), String(row.selling_item)]),
  );
}

async function linkRows(
  db: Db,
  module: number,
  pairs: readonly { sellingAddon: string }[],
  filter: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<DbEnumerationLinkRow[]> {
  if (pairs.length === 0) return [];
  return (await filter(
    db('bmp_enumeration_link')
      .where({ processingmodule: module })
      .whereIn('selling_addon', [...new Set(pairs.map((p) => p.sellingAddon))]),
  ).select('selling_addon', 'selling_item', 'enumerationitem')) as DbEnumerationLinkRow[];
}

/** Links the selling add-on's item to a host enumeration item; a link that exists is pointed at it. */
export async function linkEnumerationItem(
  db: Db,
  module: number,
  link: { sellingAddon: string; sellingItem: string; enumerationitem: number },
): Promise<void> {
  await db('bmp_enumeration_link')
    .insert({
      processingmodule: module,
      selling_addon: link.sellingAddon,
      selling_item: link.sellingItem,
      enumerationitem: link.enumerationitem,
    })
    .onConflict(['processingmodule', 'selling_addon', 'selling_item'])
    .merge(['enumerationitem']);
}
