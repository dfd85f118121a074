/** The plugin's `bmp_enumeration_link`: the host enumeration (item) that stands for a selling one, per module. */
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type EnumerationLinkKind = 'enumeration' | 'item';

export interface DbEnumerationLinkRow {
  id: number;
  processingmodule: number;
  kind: EnumerationLinkKind;
  selling_id: string;
  local_id: number;
}

/** Selling id -> local id, for the selling ids of `module` that have a link. */
export async function localIdsOf(
  db: Db,
  module: number,
  kind: EnumerationLinkKind,
  sellingIds: readonly string[],
): Promise<Map<string, number>> {
  if (sellingIds.length === 0) return new Map();
  const rows = await db<DbEnumerationLinkRow>('bmp_enumeration_link')
    .where({ processingmodule: module, kind })
    .whereIn('selling_id', [...new Set(sellingIds)])
    .select('selling_id', 'local_id');
  return new Map(rows.map((row) => [String(row.selling_id), Number(row.local_id)]));
}

/** Local id -> selling id, for the local ids that `module` links to. */
export async function sellingIdsOf(
  db: Db,
  module: number,
  kind: EnumerationLinkKind,
  localIds: readonly number[],
): Promise<Map<number, string>> {
  if (localIds.length === 0) return new Map();
  const rows = await db<DbEnumerationLinkRow>('bmp_enumeration_link')
    .where({ processingmodule: module, kind })
    .whereIn('local_id', [...new Set(localIds)])
    .select('selling_id', 'local_id');
  return new Map(rows.map((row) => [Number(row.local_id), String(row.selling_id)]));
}

/** Links `sellingId` to `localId`; a link that exists is pointed at `localId`. */
export async function linkEnumeration(
  db: Db,
  module: number,
  kind: EnumerationLinkKind,
  sellingId: string,
  localId: number,
): Promise<void> {
  await db('bmp_enumeration_link')
    .insert({ processingmodule: module, kind, selling_id: sellingId, local_id: localId })
    .onConflict(['processingmodule', 'kind', 'selling_id'])
    .merge(['local_id']);
}
