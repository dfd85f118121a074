/**
 * Drift between a local service and its selling service (pure): which of status and expiry date differ, and the
 * core callback that repairs each. Seed 004 tells admins to fix drift by hand in SQL; these repairs go through
 * the core instead, so that its own bookkeeping (operations, notifications) follows.
 */
import { ItemStatus } from './selling-services';

export interface ServiceState {
  status: number;
  /** YYYY-MM-DD, or '' / null when unset. */
  expiredate: string | null;
}

export type Repair =
  | { field: 'status'; from: number; to: number; callback: StatusCallback }
  | { field: 'expiredate'; from: string; to: string; callback: 'service.setexpiredate' };

export type StatusCallback =
  'service.postopen' | 'service.postresume' | 'service.postsuspend' | 'service.postclose';

/** A difference that no callback can repair: reported, left to a person. */
export interface Unrepairable {
  field: 'status';
  from: number;
  to: number;
  reason: string;
}

export interface Drift {
  repairs: Repair[];
  unrepairable: Unrepairable[];
}

export function findDrift(local: ServiceState, selling: ServiceState): Drift {
  const drift: Drift = { repairs: [], unrepairable: [] };
  const status = statusRepair(local.status, selling.status);
  if (status && 'callback' in status) drift.repairs.push(status);
  else if (status) drift.unrepairable.push(status);
  const localDate = local.expiredate ?? '';
  const sellingDate = selling.expiredate ?? '';
  // An unset selling date means "not active yet there": nothing to copy.
  if (sellingDate !== '' && sellingDate !== localDate) {
    drift.repairs.push({
      field: 'expiredate',
      from: localDate,
      to: sellingDate,
      callback: 'service.setexpiredate',
    });
  }
  return drift;
}

function statusRepair(local: number, selling: number): Repair | Unrepairable | undefined {
  if (local === selling) return undefined;
  const change = { field: 'status' as const, from: local, to: selling };
  switch (selling) {
    case ItemStatus.active:
      if (local === ItemStatus.deleted)
        return { ...change, reason: 'deleted here, active on the selling side' };
      return {
        ...change,
        callback: local === ItemStatus.suspended ? 'service.postresume' : 'service.postopen',
      };
    case ItemStatus.suspended:
      if (local === ItemStatus.deleted)
        return { ...change, reason: 'deleted here, suspended on the selling side' };
      return { ...change, callback: 'service.postsuspend' };
    case ItemStatus.deleted:
      return { ...change, callback: 'service.postclose' };
    default:
      // Ordered or processing there: the selling side is still at work; its events will tell.
      return undefined;
  }
}
