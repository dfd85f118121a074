/** Set-based statements over many rows: chunks below MySQL's placeholder limit, id ranges, one CASE per column. */
import type { Knex } from 'knex';
import type { Db } from './types';

/** Rows per INSERT and ids per IN (...): far below MySQL's 65,535 placeholders. */
const CHUNK = 1000;

export function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The rows of `table` whose id is one of `ids`, as one query per chunk. A batch's ids are mostly consecutive (rows
 * stored page by page), so each run of them is sent as a range: a few values to build, send and parse instead of
 * thousands. Ids that stand alone go in an IN list.
 */
export function rowsWithIds(db: Db, table: string, ids: readonly number[]): Knex.QueryBuilder[] {
  return chunks(idRuns(ids)).map((runs) => {
    const single = runs.filter(([first, last]) => first === last).map(([id]) => id);
    const ranges = runs.filter(([first, last]) => first !== last);
    return db(table).where((q) => {
      if (single.length > 0) q.orWhereIn('id', single);
      for (const range of ranges) q.orWhereBetween('id', range);
    });
  });
}

/** Runs of consecutive ids as [first, last], in order, each id once. */
export function idRuns(ids: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  return runs;
}

/** Sets one column of many rows, each to its own value, in one statement per chunk. */
export async function updateEach(
  db: Db,
  table: string,
  column: string,
  values: ReadonlyMap<number, string | number | null>,
): Promise<void> {
  for (const entries of chunks([...values])) {
    const cases = entries.map(() => 'WHEN ? THEN ?').join(' ');
    await db(table)
      .whereIn(
        'id',
        entries.map(([id]) => id),
      )
      .update({ [column]: db.raw(`CASE id ${cases} END`, entries.flat()) });
  }
}
