/** Raw SELECTs of the promotion queries on either driver (MySQL/MariaDB on a host, SQLite in the demo). */
import type { Knex } from 'knex';
import { isMysql } from '../connect';
import type { Db } from '../types';

export async function selectRows<T>(
  db: Db,
  sql: string,
  bindings: readonly Knex.RawBinding[] = [],
): Promise<T[]> {
  const result = (await db.raw(sql, bindings as Knex.RawBinding[])) as unknown;
  return (isMysql(db as Knex) ? (result as [T[]])[0] : result) as T[];
}

/** `?, ?, ?` for an IN list of at least one value. */
export function placeholders(values: readonly unknown[]): string {
  if (values.length === 0) throw new Error('an IN list needs at least one value');
  return values.map(() => '?').join(', ');
}

/** A count or id the driver may answer as a string (BIGINT) or a number: never an amount. */
export function wholeNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(String(value));
}
