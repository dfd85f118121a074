/** The plugin's `bmp_event_receipt`: each selling event received once, kept as the key that refuses it again. */
import type { Db } from '../types';
import { chunks } from '../batch';

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

export async function insertReceipts(db: Db, rows: readonly Omit<DbEventReceiptRow, 'id'>[]): Promise<void> {
  for (const chunk of chunks(rows)) await db('bmp_event_receipt').insert(chunk);
}
