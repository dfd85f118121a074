/** The host's `itemevent` table and the plugin's `bmp_event_receipt`: the events between fetch and apply. */
import type { Knex } from 'knex';
import type { Db } from '../db/types';
import type { PendingEvent } from './plan';

/** One row of the host table `itemevent` [assumed columns, see the host fixture]. */
export interface DbItemeventRow {
  id: number;
  item: number | null;
  processingmodule: number | null;
  /** The selling side's event id. */
  externalid: string | null;
  type: string | null;
  param: string | null;
  value: string | null;
  eventdate: string | null;
  error: string | null;
}

/**
 * One row of `bmp_event_receipt`: the selling event was received once. The receipt stays after the event is applied,
 * as the key that refuses it if it comes again; the event is applied once its itemevent row is gone (the two change
 * in one transaction, so there is nothing else to mark).
 */
export interface DbEventReceiptRow {
  id: number;
  processingmodule: number;
  selling_event_id: string;
  selling_item: string | null;
  received_at: string;
}

/** Rows per INSERT and ids per IN (...): far below MySQL's 65,535 placeholders. */
const CHUNK = 1000;

export function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Which of `sellingEventIds` this module has already received. */
export async function receivedEventIds(
  db: Db,
  moduleId: number,
  sellingEventIds: readonly string[],
): Promise<Set<string>> {
  const received = new Set<string>();
  for (const ids of chunks(sellingEventIds)) {
    const rows = (await db('bmp_event_receipt')
      .where({ processingmodule: moduleId })
      .whereIn('selling_event_id', ids)
      .select('selling_event_id')) as Pick<DbEventReceiptRow, 'selling_event_id'>[];
    for (const row of rows) received.add(String(row.selling_event_id));
  }
  return received;
}

/** New rows: `error` is left to its default, NULL. */
export async function insertItemevents(
  db: Db,
  rows: readonly Omit<DbItemeventRow, 'id' | 'error'>[],
): Promise<void> {
  for (const chunk of chunks(rows)) await db('itemevent').insert(chunk);
}

export async function insertReceipts(db: Db, rows: readonly Omit<DbEventReceiptRow, 'id'>[]): Promise<void> {
  for (const chunk of chunks(rows)) await db('bmp_event_receipt').insert(chunk);
}

type PendingRow = Pick<DbItemeventRow, 'id' | 'item' | 'externalid' | 'type' | 'param' | 'value'> & {
  selling_item: string | null;
};

/**
 * The next `limit` stored events of the module after row `afterId`, oldest first. The selling service is read from
 * the receipt only for events no local service was linked to when they were stored: the others do not need it.
 */
export async function pendingEvents(
  db: Db,
  moduleId: number,
  afterId: number,
  limit: number,
): Promise<PendingEvent[]> {
  const rows = (await db('itemevent as e')
    .leftJoin('bmp_event_receipt as r', function () {
      this.onNull('e.item')
        .andOn('r.processingmodule', '=', 'e.processingmodule')
        .andOn('r.selling_event_id', '=', 'e.externalid');
    })
    .where('e.processingmodule', moduleId)
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(limit)
    .select(
      'e.id',
      'e.item',
      'e.externalid',
      'e.type',
      'e.param',
      'e.value',
      'r.selling_item',
    )) as PendingRow[];
  return rows.map((row) => ({
    rowId: Number(row.id),
    sellingEventId: String(row.externalid ?? ''),
    sellingItem: String(row.selling_item ?? ''),
    item: row.item === null ? null : Number(row.item),
    type: row.type ?? '',
    param: row.param ?? '',
    value: row.value ?? '',
  }));
}

/** The applied events leave `itemevent`; their receipts stay. */
export async function deleteApplied(db: Db, events: readonly Pick<PendingEvent, 'rowId'>[]): Promise<void> {
  for (const rows of rowsWithIds(
    db,
    'itemevent',
    events.map((e) => e.rowId),
  ))
    await rows.delete();
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

/** `YYYY-MM-DD HH:MM:SS` in UTC, as DATETIME columns hold it. */
export function dateTime(now: Date): string {
  return now.toISOString().slice(0, 19).replace('T', ' ');
}
