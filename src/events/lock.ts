/**
 * One checkevent run per module at a time, by a lock the database holds (never a pid file). MySQL: a named lock
 * held by one connection for the whole run, freed by the server when the process dies. SQLite: a row in
 * `bmp_job_lock` that expires, so a killed run blocks the next ones for at most LOCK_TTL_MS.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import { isMysql } from '../db/connect';
import { dateTime } from './event-rows';

export interface ModuleLock {
  release(): Promise<void>;
}

/** How long a SQLite lock row of a run that died keeps others out. */
export const LOCK_TTL_MS = 60 * 60 * 1000;

/** The lock of `moduleId`, or undefined at once when another run holds it. */
export async function tryLockModule(db: Knex, moduleId: number, now: Date): Promise<ModuleLock | undefined> {
  return isMysql(db) ? tryMysqlLock(db, moduleId) : tryRowLock(db, moduleId, now);
}

/** Named locks are server-wide: the database name keeps two databases on one server apart. Max 64 characters. */
const MYSQL_LOCK_NAME = "LEFT(CONCAT('bmp_checkevent_', ?, '@', DATABASE()), 64)";

async function tryMysqlLock(db: Knex, moduleId: number): Promise<ModuleLock | undefined> {
  const connection: unknown = await db.client.acquireConnection();
  const onConnection = async (sql: string): Promise<number | null> => {
    const [rows] = (await db.raw(sql, [moduleId]).connection(connection)) as [{ result: number | null }[]];
    return rows[0]?.result ?? null;
  };
  try {
    if ((await onConnection(`SELECT GET_LOCK(${MYSQL_LOCK_NAME}, 0) AS result`)) !== 1) {
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
        await onConnection(`SELECT RELEASE_LOCK(${MYSQL_LOCK_NAME}) AS result`);
      } finally {
        await db.client.releaseConnection(connection);
      }
    },
  };
}

async function tryRowLock(db: Knex, moduleId: number, now: Date): Promise<ModuleLock | undefined> {
  const name = `checkevent:${moduleId}`;
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const taken = await db.transaction(async (trx) => {
    await trx('bmp_job_lock').where({ name }).where('expires_at', '<', dateTime(now)).delete();
    await trx('bmp_job_lock')
      .insert({ name, holder, expires_at: dateTime(new Date(now.getTime() + LOCK_TTL_MS)) })
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
