/** The host's `enumerationitem` table: the values of an enum add-on. */
import type { Db } from './types';

/** One row of the host table `enumerationitem`, the columns the plugin reads. */
export interface DbEnumerationitemRow {
  id: number;
  enumeration: number;
  intname: string | null;
}

/** The items of `enumerations`, oldest first. */
export async function enumerationItemsOf(
  db: Db,
  enumerations: readonly number[],
): Promise<DbEnumerationitemRow[]> {
  return (await db('enumerationitem')
    .whereIn('enumeration', [...enumerations])
    .orderBy('id')
    .select('id', 'enumeration', 'intname')) as DbEnumerationitemRow[];
}
