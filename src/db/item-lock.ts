/**
 * One operation on a resold service at a time, and one service import per module at a time, by a lock the
 * database holds. Without it two copies of `open` started together would both find no selling service and both
 * order. MySQL: a named lock held by one connection, freed by the server if the process dies. SQLite (sandbox,
 * demo) runs one writer at a time and one handler at a time: the work runs as it is.
 */
import type { Knex } from 'knex';
import { HostError } from '../contract/errors';
import { isMysql } from './connect';

/** How long an operation waits for the one before it on the same service. */
export const LOCK_WAIT_SECONDS = 60;

/** Named locks are server-wide: the database name keeps two databases on one server apart. At most 64 characters. */
const LOCK_NAME = "LEFT(CONCAT(?, '@', DATABASE()), 64)";

export function withItemLock<T>(
  db: Knex,
  itemId: number,
  work: () => Promise<T>,
  waitSeconds = LOCK_WAIT_SECONDS,
): Promise<T> {
  return withNamedLock(db, `bmp_item_${itemId}`, waitSeconds, work, () => {
    return new HostError(
      'busy',
      'item',
      `another operation on service ${itemId} is still running; try again later`,
      {
        elid: String(itemId),
      },
    );
  });
}

export function withServiceImportLock<T>(
  db: Knex,
  moduleId: number,
  work: () => Promise<T>,
  waitSeconds = LOCK_WAIT_SECONDS,
): Promise<T> {
  return withNamedLock(db, `bmp_import_${moduleId}`, waitSeconds, work, () => {
    return new HostError(
      'busy',
      'processingmodule',
      `another service import of module ${moduleId} is still running; try again later`,
      {
        elid: String(moduleId),
      },
    );
  });
}

async function withNamedLock<T>(
  db: Knex,
  name: string,
  waitSeconds: number,
  work: () => Promise<T>,
  busy: () => HostError,
): Promise<T> {
  if (!isMysql(db)) return work();
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
    if ((await onConnection(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS result`, [name, waitSeconds])) !== 1)
      throw busy();
    try {
      return await work();
    } finally {
      await onConnection(`SELECT RELEASE_LOCK(${LOCK_NAME}) AS result`, [name]);
    }
  } finally {
    await db.client.releaseConnection(connection);
  }
}
