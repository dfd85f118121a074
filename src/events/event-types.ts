/**
 * The selling side's event types (seed 004, contract section 4) and what each one asks of the local service.
 * Pure: no database, no network.
 */
import { isIP } from 'node:net';
import { isCalendarDate } from '../domain/dates';

/** Lifecycle events change the service's status: only the core may do that, through mgrctl. */
export const LIFECYCLE_TYPES = ['setup', 'suspend', 'activate', 'delete'] as const;
/** Data events are written by checkevent itself, in its own transaction. */
export const DATA_TYPES = ['ip_add', 'ip_del', 'addon', 'param', 'prolong'] as const;

export type LifecycleType = (typeof LIFECYCLE_TYPES)[number];
export type DataType = (typeof DATA_TYPES)[number];
export type EventType = LifecycleType | DataType;

/** The core's callback that finishes each lifecycle event (contract section 3). */
export const LIFECYCLE_CALLBACK: Readonly<Record<LifecycleType, string>> = {
  setup: 'service.postopen',
  suspend: 'service.postsuspend',
  activate: 'service.postresume',
  delete: 'service.postclose',
};

/** One event as the selling side lists it (`func=itemevent`): every field as text. */
export interface SellingEvent {
  /** The selling side's event id: the key of the receipt. */
  id: string;
  /** The selling service id. */
  item: string;
  /** Our item id, as the order sent it; '' when the selling side does not know it. */
  remoteid: string;
  type: string;
  param: string;
  value: string;
  /** `YYYY-MM-DD HH:MM:SS`, or '' when missing or malformed. */
  date: string;
}

export function isLifecycleType(type: string): type is LifecycleType {
  return (LIFECYCLE_TYPES as readonly string[]).includes(type);
}

export function isDataType(type: string): type is DataType {
  return (DATA_TYPES as readonly string[]).includes(type);
}

/** A data event read and checked: what to write where. */
export type DataChange =
  | { kind: 'ip'; add: boolean; address: string }
  | { kind: 'param'; name: string; value: string }
  | { kind: 'prolong'; expiredate: string }
  | { kind: 'addon'; sellingAddonId: string; value: string };

/** An event that cannot be applied as it stands: kept in itemevent with this text. */
export class EventProblem {
  constructor(readonly message: string) {}
}

/** Reads a data event's param and value, or says what is wrong with them. */
export function readDataChange(type: DataType, param: string, value: string): DataChange | EventProblem {
  switch (type) {
    case 'ip_add':
    case 'ip_del': {
      // The sandbox sends param "ip" and the address as value; a bare address in param is accepted too.
      const address = isIP(value) ? value : isIP(param) ? param : '';
      if (!address) return new EventProblem(`${type}: '${value || param}' is not an IP address`);
      return { kind: 'ip', add: type === 'ip_add', address };
    }
    case 'param':
      if (!param) return new EventProblem('param: the event names no parameter');
      return { kind: 'param', name: param, value };
    case 'prolong': {
      const expiredate = value.slice(0, 10);
      if (!isCalendarDate(expiredate))
        return new EventProblem(`prolong: '${value}' is not a date YYYY-MM-DD`);
      return { kind: 'prolong', expiredate };
    }
    case 'addon': {
      const sellingAddonId = sellingAddonIdOf(param);
      if (sellingAddonId === undefined)
        return new EventProblem(`addon: '${param}' is not a selling add-on id (122 or addon_122)`);
      return { kind: 'addon', sellingAddonId, value };
    }
  }
}

/**
 * The addresses a `setup` event carries (`param` ip, the address or a comma- or space-separated list as value);
 * none when it carries no IP. Recorded as `ip_add` events are.
 */
export function readSetupIps(param: string, value: string): string[] | EventProblem {
  if (param.trim().toLowerCase() !== 'ip') return [];
  const addresses = value.split(/[\s,]+/).filter(Boolean);
  const bad = addresses.find((address) => !isIP(address));
  if (bad !== undefined) return new EventProblem(`setup: '${bad}' is not an IP address`);
  return addresses;
}

/** An add-on event names its add-on by selling id (`122`) or by the order form's field (`addon_122`). */
export function sellingAddonIdOf(param: string): string | undefined {
  return /^(?:addon_)?(\d+)$/.exec(param.trim())?.[1];
}

/** The event's date for `itemevent.eventdate`, or null when the selling side sent none we can read. */
export function eventDate(date: string): string | null {
  const text = date.trim().replace('T', ' ').slice(0, 19);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return isCalendarDate(text) ? `${text} 00:00:00` : null;
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return null;
  return isCalendarDate(text.slice(0, 10)) ? text : null;
}
