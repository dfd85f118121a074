/**
 * The one transaction wrapper. A deadlock the server resolves by rolling this transaction back is retried when the
 * caller says the work is safe to run again (it reads what it needs inside the transaction, or only sets values);
 * a unique key refusing a row becomes a ConflictError, or the caller's own outcome through `onConflict`.
 */
import type { Knex } from 'knex';
import { ConflictError } from '../domain/errors';
import { isMysql } from './connect';
import type { Db } from './types';

/** MySQL / MariaDB ER_LOCK_DEADLOCK: "Deadlock found when trying to get lock; try restarting transaction". */
const ER_LOCK_DEADLOCK = 1213;
/** MySQL / MariaDB ER_DUP_ENTRY: "Duplicate entry ... for key ...". */
const ER_DUP_ENTRY = 1062;

export interface TransactionOptions<T> {
  /** MySQL only (SQLite has one writer at a time): e.g. 'read committed', which takes no gap locks. */
  isolation?: Knex.IsolationLevels;
  /** Further attempts after a deadlock; 0 (the default) gives it to the caller. */
  deadlockRetries?: number;
  /** What a duplicate key means to the caller; without it, a ConflictError naming `conflictObject`. */
  onConflict?: (err: unknown) => T | Promise<T>;
  conflictObject?: string;
}

export async function withTransaction<T>(
  db: Db,
  work: (trx: Knex.Transaction) => Promise<T>,
  options: TransactionOptions<T> = {},
): Promise<T> {
  const mysql = isMysql(db as Knex);
  const config = mysql && options.isolation ? { isolationLevel: options.isolation } : undefined;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await db.transaction(work, config);
    } catch (err) {
      if (mysql && isDeadlock(err) && attempt < (options.deadlockRetries ?? 0)) continue;
      if (!isDuplicateKey(err)) throw err;
      if (options.onConflict) return options.onConflict(err);
      throw new ConflictError(
        options.conflictObject ?? 'row',
        `${options.conflictObject ?? 'the row'} was written meanwhile by another run: try again`,
      );
    }
  }
}

/**
 * Runs `work` in a transaction that is always rolled back: a dry run does everything a run would and keeps nothing.
 */
export async function withRollback<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const trx = await db.transaction();
  try {
    return await work(trx);
  } finally {
    await trx.rollback();
  }
}

export function isDeadlock(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { errno?: unknown }).errno === ER_LOCK_DEADLOCK;
}

/** A unique key refused the row: MySQL / MariaDB ER_DUP_ENTRY, or SQLite's UNIQUE constraint. */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { errno, code } = err as { errno?: unknown; code?: unknown };
  return errno === ER_DUP_ENTRY || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
