/**
 * Lifecycle events as core callbacks. Pure.
 *
 * The callbacks are made from the status the service has now to the status its events lead to, never once per
 * event: a run killed after a callback and before its events were marked applied finds the callback's work
 * already in the service's status and makes no callback twice. Events that cancel out (suspend, then activate)
 * make no callback; a service deleted before it was seen open is closed without being opened.
 */
import { LIFECYCLE_CALLBACK, type LifecycleType } from './event-types';

/** Item status codes, the same on both sides (contract section 4). */
export const ItemStatus = { ordered: 1, active: 2, suspended: 3, deleted: 4, processing: 5 } as const;

function isOpened(status: number): boolean {
  return status !== ItemStatus.ordered && status !== ItemStatus.processing;
}

/** The status a service ends in when `events` are applied in order, starting from `status`. Deleted is final. */
export function statusAfter(status: number, events: readonly LifecycleType[]): number {
  let current = status;
  for (const event of events) {
    if (current === ItemStatus.deleted) break;
    if (event === 'delete') current = ItemStatus.deleted;
    else if (event === 'suspend') current = ItemStatus.suspended;
    else if (event === 'activate' || !isOpened(current)) current = ItemStatus.active;
    // 'setup' of a service already opened changes nothing.
  }
  return current;
}

/** The fewest core callbacks, in order, that take a service from `status` to `target`. */
export function callbacksBetween(status: number, target: number): string[] {
  if (status === target || status === ItemStatus.deleted) return [];
  switch (target) {
    case ItemStatus.deleted:
      return [LIFECYCLE_CALLBACK.delete];
    case ItemStatus.active:
      return [isOpened(status) ? LIFECYCLE_CALLBACK.activate : LIFECYCLE_CALLBACK.setup];
    case ItemStatus.suspended:
      return isOpened(status)
        ? [LIFECYCLE_CALLBACK.suspend]
        : [LIFECYCLE_CALLBACK.setup, LIFECYCLE_CALLBACK.suspend];
    default:
      return [];
  }
}

/** The callbacks a service needs for its lifecycle events, applied in order from `status`. */
export function lifecycleCallbacks(status: number, events: readonly LifecycleType[]): string[] {
  return callbacksBetween(status, statusAfter(status, events));
}
