/** The host's `itemevent` table: the selling events checkevent stored and has not applied yet. */
import type { Db } from './types';
import { chunks, rowsWithIds, updateEach } from './batch';

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

/** A stored event as checkevent applies it. */
export interface PendingItemevent {
  /** `itemevent.id`: the order events are applied in. */
  rowId: number;
  sellingEventId: string;
  /** The selling service, for an event stored before a local service was linked to it (item null); else ''. */
  sellingItem: string;
  /** The local service, or null while no service of the module is linked to `sellingItem`. */
  item: number | null;
  type: string;
  param: string;
  value: string;
}

/** New rows: `error` is left to its default, NULL. */
export async function insertItemevents(
  db: Db,
  rows: readonly Omit<DbItemeventRow, 'id' | 'error'>[],
): Promise<void> {
  for (const chunk of chunks(rows)) await db('itemevent').insert(chunk);
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
): Promise<PendingItemevent[]> {
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
export async function deleteApplied(
  db: Db,
  events: readonly Pick<PendingItemevent, 'rowId'>[],
): Promise<void> {
  for (const rows of rowsWithIds(
    db,
    'itemevent',
    events.map((e) => e.rowId),
  ))
    await rows.delete();
}

/** Row id -> why it is kept. */
export async function setItemeventErrors(db: Db, errors: ReadonlyMap<number, string>): Promise<void> {
  await updateEach(db, 'itemevent', 'error', errors);
}

/** Row id -> the local service now linked to it. */
export async function setItemeventItems(db: Db, items: ReadonlyMap<number, number>): Promise<void> {
  await updateEach(db, 'itemevent', 'item', items);
}

/** The stored rows, oldest first: of one module, and only those with an error, when asked. */
export async function itemeventRows(
  db: Db,
  { module, withErrorsOnly = false }: { module?: number; withErrorsOnly?: boolean } = {},
): Promise<DbItemeventRow[]> {
  const query = db<DbItemeventRow>('itemevent').orderBy('id');
  if (module !== undefined) query.where({ processingmodule: module });
  if (withErrorsOnly) query.whereNotNull('error');
  return (await query.select()) as DbItemeventRow[];
}

export async function itemeventRow(db: Db, id: number): Promise<DbItemeventRow | undefined> {
  return (await db<DbItemeventRow>('itemevent').where({ id }).first()) as DbItemeventRow | undefined;
}

/** Deletes the row and answers it (undefined when there is none); in a transaction, it is locked first. */
export async function takeItemevent(db: Db, id: number): Promise<DbItemeventRow | undefined> {
  const row = (await db<DbItemeventRow>('itemevent').where({ id }).forUpdate().first()) as
    DbItemeventRow | undefined;
  if (row) await db('itemevent').where({ id }).delete();
  return row;
}
