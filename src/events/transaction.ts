/**
 * checkevent's own transactions. Receiving and applying run side by side, each on its own connection. Under
 * REPEATABLE READ a statement the optimizer runs as a scan (an `UPDATE ... WHERE id IN (...)` over most of a small
 * table) takes next-key locks up to the end of the table, where the other transaction inserts: the two deadlock.
 * READ COMMITTED takes no gap locks. A deadlock that still happens is retried: each of these transactions reads
 * what it needs inside itself or only sets values, so running it again is safe.
 */
import type { Knex } from 'knex';
import { isMysql } from '../db/connect';

/** Attempts of a transaction the server chose as a deadlock victim. */
const DEADLOCK_ATTEMPTS = 3;
/** MySQL / MariaDB ER_LOCK_DEADLOCK: "Deadlock found when trying to get lock; try restarting transaction". */
const ER_LOCK_DEADLOCK = 1213;
/** MySQL / MariaDB ER_DUP_ENTRY: "Duplicate entry ... for key ...". */
const ER_DUP_ENTRY = 1062;

export async function eventTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (!isMysql(db)) return db.transaction(work);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work, { isolationLevel: 'read committed' });
    } catch (err) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(err)) throw err;
    }
  }
}

function isDeadlock(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { errno?: unknown }).errno === ER_LOCK_DEADLOCK;
}

/** A unique key refused the row: MySQL / MariaDB ER_DUP_ENTRY, or SQLite's UNIQUE constraint. */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { errno, code } = err as { errno?: unknown; code?: unknown };
  return errno === ER_DUP_ENTRY || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
