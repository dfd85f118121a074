/**
 * One operation on a resold service at a time, and one service import per module at a time (db/named-lock.ts).
 * Without it two copies of `open` started together would both find no selling service and both order.
 */
import type { Knex } from 'knex';
import { BusyError } from '../domain/errors';
import { withNamedLock } from './named-lock';

/** How long an operation waits for the one before it on the same service. */
export const LOCK_WAIT_SECONDS = 60;

export function withItemLock<T>(
  db: Knex,
  itemId: number,
  work: () => Promise<T>,
  waitSeconds = LOCK_WAIT_SECONDS,
): Promise<T> {
  return withNamedLock(db, { purpose: 'item', id: itemId }, waitSeconds, work, () => {
    return new BusyError('item', `another operation on service ${itemId} is still running; try again later`, {
      elid: String(itemId),
    });
  });
}

export function withServiceImportLock<T>(
  db: Knex,
  moduleId: number,
  work: () => Promise<T>,
  waitSeconds = LOCK_WAIT_SECONDS,
): Promise<T> {
  return withNamedLock(db, { purpose: 'import', id: moduleId }, waitSeconds, work, () => {
    return new BusyError(
      'processingmodule',
      `another service import of module ${moduleId} is still running; try again later`,
      { elid: String(moduleId) },
    );
  });
}
