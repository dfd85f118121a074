/** The sandbox selling BILLmanager's data model: accounts, tariffs with add-ons, ordered services, item events. */
import type { Money } from '../domain/money';

export const ITEM_TYPES = ['vds', 'dedic', 'vhost', 'soft', 'certificate'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export function isItemType(value: string): value is ItemType {
  return (ITEM_TYPES as readonly string[]).includes(value);
}

export interface SandboxAccount {
  username: string;
  password: string;
  level: 'client' | 'admin';
  /** Major units as a decimal string, e.g. "1000.00". */
  balance: string;
  currency: string;
}

/**
 * How the sandbox words its answers. `classic` is the shape this project was first built against; `variant` is
 * every other shape contract section 4 documents, at once: enumerations and their items without intname, OS
 * templates as `<itemtypeparamvalue>`s, add-on events naming `addon_<id>`, a setup event carrying the service's
 * IP, `whoami` with the user nested and a numeric level, and a `<tparams>` echo ending every document.
 */
export const ANSWER_SHAPES = ['classic', 'variant'] as const;
export type AnswerShape = (typeof ANSWER_SHAPES)[number];

export interface SandboxOptions {
  /** `classic` unless told; `Sandbox.state.shape` changes it while running. */
  shape?: AnswerShape;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** A session expires after this long without a call. */
  sessionTtlMs?: number;
  accounts?: SandboxAccount[];
  /** When on, an order is activated (and its 'setup' event emitted) at once. */
  autoActivate?: boolean;
  now?: () => Date;
}

/** A price period as the API shows it: `<period type="month" length="3" cost="27.00"/>`. */
export interface PricePeriod {
  type: 'month' | 'day' | 'trial' | 'lifetime';
  length: number;
  /** Major units as a decimal string, in the tariff's currency. */
  cost: string;
}

export interface EnumerationItem {
  id: number;
  intname: string;
  name: string;
  active: boolean;
  prices: PricePeriod[];
}

export interface Enumeration {
  id: number;
  intname: string;
  name: string;
  items: EnumerationItem[];
}

/** addontype 1 boolean, 2 integer, 3 enum; billtype 1 none, 2 ordered. */
export interface SellingAddon {
  id: number;
  intname: string;
  name: string;
  addontype: 1 | 2 | 3;
  billtype: number;
  active: boolean;
  /** Integer add-ons: the amount included in the tariff; only units above it are charged. */
  limit?: number;
  min?: number;
  max?: number;
  step?: number;
  measure?: string;
  /** Integer add-ons: per unit above the limit; boolean: when on; enum: unused (the items carry prices). */
  prices: PricePeriod[];
  enumeration?: Enumeration;
}

export interface OsTemplate {
  intname: string;
  name: string;
  tags: string[];
}

export interface SellingTariff {
  id: number;
  intname: string;
  name: string;
  itemtype: ItemType;
  active: boolean;
  currency: string;
  prices: PricePeriod[];
  addons: SellingAddon[];
  /** The `ostempl` itemtypeparam; empty when the item type has none. */
  osTemplates: OsTemplate[];
}

/** Item status codes, the same on both sides. */
export const ItemStatus = { ordered: 1, active: 2, suspended: 3, deleted: 4, processing: 5 } as const;
export type ItemStatusCode = (typeof ItemStatus)[keyof typeof ItemStatus];

/** A service ordered on the selling side. */
export interface SellingItem {
  id: number;
  /** The reselling side's item id, as sent with the order; '' for services that were not resold. */
  remoteid: string;
  itemtype: ItemType;
  pricelist: number;
  /** API period code: months, or -100 trial, -50 day, 0 lifetime. */
  period: number;
  status: ItemStatusCode;
  name: string;
  /** YYYY-MM-DD, '' until activated. */
  opendate: string;
  expiredate: string;
  ips: string[];
  /** Add-on values by add-on id: integer as digits, boolean 'on'/'off', enum the enumeration item id. */
  addons: Record<number, string>;
  params: Record<string, string>;
  /** The selling account that ordered the service. */
  owner: string;
  /** The service's own login (a hosting account's user), shown as `<username>`; '' where a type has none. */
  username: string;
  panelid: string;
}

export type ItemEventType =
  'setup' | 'suspend' | 'activate' | 'delete' | 'ip_add' | 'ip_del' | 'addon' | 'param' | 'prolong';

export interface ItemEvent {
  id: number;
  /** Selling item id. */
  item: number;
  remoteid: string;
  type: ItemEventType;
  param: string;
  value: string;
  /** YYYY-MM-DD HH:MM:SS (UTC). */
  date: string;
}

export interface AccountView {
  username: string;
  level: 'client' | 'admin';
  balance: Money;
}

/** One request the sandbox received: secrets (password, auth, authinfo) are never kept. */
export interface SandboxCall {
  func: string;
  params: Record<string, string>;
  /** The fault injected into this call, if any. */
  fault?: string;
}
