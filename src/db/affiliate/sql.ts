/**
 * The only place where the affiliate code branches on the SQL dialect (MySQL/MariaDB on a host, SQLite in the
 * demo): raw result shapes, "insert unless the unique key already holds it", string concatenation, the run lock.
 */
import type { Knex } from 'knex';
import { isMysql } from '../connect';

import type { Db } from '../types';

export type { Db };

/** Rows of a raw SELECT, whichever driver answered. */
export async function selectRows<T>(
  db: Db,
  sql: string,
  bindings: readonly Knex.RawBinding[] = [],
): Promise<T[]> {
  const result = (await db.raw(sql, bindings as Knex.RawBinding[])) as unknown;
  return (isMysql(db as Knex) ? (result as [T[]])[0] : result) as T[];
}

/** `?, ?, ?` for an IN list. */
export function placeholders(values: readonly unknown[]): string {
  if (values.length === 0) throw new Error('an IN list needs at least one value');
  return values.map(() => '?').join(', ');
}

/**
 * Inserts rows, skipping those whose unique key is already taken: the ledger's guard against paying twice.
 * MySQL's INSERT IGNORE is not used because it also turns bad data into warnings.
 */
export async function insertNew(
  db: Db,
  table: string,
  rows: readonly Record<string, unknown>[],
  keyColumns: readonly string[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    if (isMysql(db as Knex)) {
      const { sql, bindings } = db(table).insert(chunk).toSQL();
      await db.raw(`${sql} ON DUPLICATE KEY UPDATE ${table}.id = ${table}.id`, bindings as Knex.RawBinding[]);
    } else {
      await db(table)
        .insert(chunk)
        .onConflict([...keyColumns])
        .ignore();
    }
  }
}

/** INSERT ... SELECT that skips rows whose unique key is already taken. `select` must name `columns` in order. */
export async function insertSelectNew(
  db: Db,
  table: string,
  columns: readonly string[],
  keyColumns: readonly string[],
  select: string,
  bindings: readonly Knex.RawBinding[],
): Promise<void> {
  const into = `INSERT INTO ${table} (${columns.join(', ')})`;
  // SQLite needs the SELECT wrapped (and a WHERE) before an upsert clause; MySQL refuses the wrapper when two
  // selected columns share a name, and needs none.
  const sql = isMysql(db as Knex)
    ? `${into} ${select} ON DUPLICATE KEY UPDATE ${table}.id = ${table}.id`
    : `${into} SELECT * FROM (${select}) WHERE 1 = 1 ON CONFLICT (${keyColumns.join(', ')}) DO NOTHING`;
  await db.raw(sql, bindings as Knex.RawBinding[]);
}

/** SQL concatenating the given SQL expressions as text. */
export function concatSql(db: Db, expressions: readonly string[]): string {
  return isMysql(db as Knex)
    ? `CONCAT(${expressions.join(', ')})`
    : expressions.map((e) => `(${e})`).join(' || ');
}

/**
 * Locks the partners' rows until the transaction ends, so that a run, an apply and a withdrawal of one partner
 * never read its ledger at the same time. SQLite locks the whole database on the first write instead.
 */
export async function lockPartners(db: Db, affiliates: readonly number[]): Promise<void> {
  if (affiliates.length === 0 || !isMysql(db as Knex)) return;
  await db.raw(`SELECT id FROM bmp_affiliate WHERE id IN (${placeholders(affiliates)}) FOR UPDATE`, [
    ...affiliates,
  ]);
}

/**
 * Has the database recount `table`'s statistics, from which it plans queries. MySQL's ANALYZE TABLE commits an open
 * transaction, so this is called outside one.
 */
export async function refreshStatistics(db: Knex, table: string): Promise<void> {
  await db.raw(isMysql(db) ? `ANALYZE TABLE ${table}` : `ANALYZE ${table}`);
}
