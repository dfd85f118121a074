/**
 * checkevent's own transactions. Receiving and applying run side by side, each on its own connection. Under
 * REPEATABLE READ a statement the optimizer runs as a scan (an `UPDATE ... WHERE id IN (...)` over most of a small
 * table) takes next-key locks up to the end of the table, where the other transaction inserts: the two deadlock.
 * READ COMMITTED takes no gap locks. A deadlock that still happens is retried: each of these transactions reads
 * what it needs inside itself or only sets values, so running it again is safe. A duplicate key is the caller's
 * to read (the receipts' key refuses a page received before), so it is rethrown as it is.
 */
import type { Knex } from 'knex';
import { withTransaction } from '../db/transaction';

/** Attempts of a transaction the server chose as a deadlock victim. */
const DEADLOCK_ATTEMPTS = 3;

export function eventTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return withTransaction(db, work, {
    isolation: 'read committed',
    deadlockRetries: DEADLOCK_ATTEMPTS - 1,
    onConflict: (err) => {
      throw err;
    },
  });
}

export { isDuplicateKey } from '../db/transaction';
