/**
 * The one named lock: two copies of a job (an operation on one service, a checkevent run of one module, an
 * affiliate run) never overlap. MySQL: GET_LOCK on a connection of its own, freed by the server if the process
 * dies. One name scheme, `<purpose>:<id>@<database>` cut to MySQL's 64 characters (named locks are server-wide: the
 * database name keeps two databases on one server apart). SQLite (sandbox, demo) has one writer at a time: the wait
 * form runs the work as it is; the try form takes a row of `bmp_job_lock` that expires, so a killed run keeps the
 * next ones out for at most ROW_LOCK_TTL_MS.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import { formatDateTime as dateTime } from '../domain/dates';
import { BusyError } from '../domain/errors';
import { isMysql } from './connect';

export interface LockName {
  /** What the lock keeps apart, e.g. `item`, `checkevent`, `affiliatemonthly`. */
  purpose: string;
  id?: number | string;
}

export interface HeldLock {
  release(): Promise<void>;
}

/** How long a SQLite lock row of a run that died keeps others out. */
export const ROW_LOCK_TTL_MS = 60 * 60 * 1000;

const MYSQL_NAME = "LEFT(CONCAT(?, '@', DATABASE()), 64)";

function nameOf({ purpose, id }: LockName): string {
  return id === undefined ? purpose : `${purpose}:${id}`;
}

/**
 * Runs `work` holding the lock, waiting up to `waitSeconds` for another holder; a BusyError (`busy`'s, or one that
 * names the lock's purpose) when it is still held then.
 */
export async function withNamedLock<T>(
  db: Knex,
  lock: LockName,
  waitSeconds: number,
  work: () => Promise<T>,
  busy: () => BusyError = () =>
    new BusyError(lock.purpose, `another ${lock.purpose} run held the lock for more than ${waitSeconds} s`),
): Promise<T> {
  if (!isMysql(db)) return work();
  const held = await takeMysqlLock(db, nameOf(lock), waitSeconds);
  if (!held) throw busy();
  try {
    return await work();
  } finally {
    await held.release();
  }
}

/** The lock at once, or undefined when another holder has it. */
export async function tryNamedLock(db: Knex, lock: LockName, now: Date): Promise<HeldLock | undefined> {
  return isMysql(db) ? takeMysqlLock(db, nameOf(lock), 0) : takeRowLock(db, nameOf(lock), now);
}

async function takeMysqlLock(db: Knex, name: string, waitSeconds: number): Promise<HeldLock | undefined> {
  const connection: unknown = await db.client.acquireConnection();
  const onConnection = async (
    sql: string,
    bindings: readonly (string | number)[],
  ): Promise<number | null> => {
    const [rows] = (await db.raw(sql, [...bindings]).connection(connection)) as unknown as [
      { result: number | string | null }[],
    ];
    const result = rows[0]?.result;
    return result === null || result === undefined ? null : Number(result);
  };
  try {
    if ((await onConnection(`SELECT GET_LOCK(${MYSQL_NAME}, ?) AS result`, [name, waitSeconds])) !== 1) {
      await db.client.releaseConnection(connection);
      return undefined;
    }
  } catch (err) {
    await db.client.releaseConnection(connection);
    throw err;
  }
  return {
    async release() {
      try {
        await onConnection(`SELECT RELEASE_LOCK(${MYSQL_NAME}) AS result`, [name]);
      } finally {
        await db.client.releaseConnection(connection);
      }
    },
  };
}

async function takeRowLock(db: Knex, name: string, now: Date): Promise<HeldLock | undefined> {
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const taken = await db.transaction(async (trx) => {
    await trx('bmp_job_lock').where({ name }).where('expires_at', '<', dateTime(now)).delete();
    await trx('bmp_job_lock')
      .insert({ name, holder, expires_at: dateTime(new Date(now.getTime() + ROW_LOCK_TTL_MS)) })
      .onConflict('name')
      .ignore();
    return (await trx('bmp_job_lock').where({ name, holder }).first()) !== undefined;
  });
  if (!taken) return undefined;
  return {
    async release() {
      await db('bmp_job_lock').where({ name, holder }).delete();
    },
  };
}
