/**
 * The events checkevent stored and could not apply yet, for the admin: list them with their errors, retry one
 * (a checkevent pass of its module, now), or drop one. A dropped event leaves `itemevent` but is written to the
 * log whole first, and its receipt stays, so the selling side cannot deliver it again unseen.
 */
import { withTransaction } from '../db/transaction';
import type { Knex } from 'knex';
import { NotFoundError } from '../domain/errors';
import { itemeventRow, itemeventRows, takeItemevent, type DbItemeventRow } from '../db/itemevent';

export interface StoredEvent {
  id: number;
  module: number;
  sellingEventId: string;
  type: string;
  /** The local service, when the event names one this billing knows. */
  item: number | null;
  param: string;
  value: string;
  eventDate: string | null;
  /** Why the last run could not apply it; null for an event that has not been tried yet. */
  error: string | null;
}

export async function storedEvents(
  db: Knex,
  filter: { module?: number; withErrorsOnly?: boolean } = {},
): Promise<StoredEvent[]> {
  return (await itemeventRows(db, filter)).map(toStoredEvent);
}

export async function storedEvent(db: Knex, id: number): Promise<StoredEvent> {
  const row = await itemeventRow(db, id);
  if (!row) throw missing(id);
  return toStoredEvent(row);
}

/** Deletes the event's row (its receipt stays); returns what it deleted, for the log. */
export async function dropStoredEvent(db: Knex, id: number): Promise<StoredEvent> {
  return withTransaction(db, async (trx) => {
    const row = await takeItemevent(trx, id);
    if (!row) throw missing(id);
    return toStoredEvent(row);
  });
}

function missing(id: number): NotFoundError {
  return new NotFoundError('itemevent', `there is no stored event ${id} (applied or dropped already?)`);
}

function toStoredEvent(row: DbItemeventRow): StoredEvent {
  return {
    id: Number(row.id),
    module: Number(row.processingmodule),
    sellingEventId: String(row.externalid ?? ''),
    type: row.type ?? '',
    item: row.item === null ? null : Number(row.item),
    param: row.param ?? '',
    value: row.value ?? '',
    eventDate: row.eventdate === null ? null : String(row.eventdate),
    error: row.error,
  };
}
