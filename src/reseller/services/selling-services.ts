/** The selling side's services (`func=vds|dedic|...` lists): reading them and finding the one behind a local service. */
import { asList, textOf, type XmlNode } from '../../contract/xml';
import { SellingXmlError, type SellingClient } from '../../billmgr-api/types';

/** Item status codes, the same on both sides (contract section 4). */
export const ItemStatus = { ordered: 1, active: 2, suspended: 3, deleted: 4, processing: 5 } as const;

/** One `<elem>` of a selling service list. */
export interface SellingService {
  id: string;
  /** Our item id when the service was ordered by this plugin; '' otherwise. */
  remoteid: string;
  name: string;
  status: number;
  /** The selling tariff id. */
  pricelist: string;
  /** API months; undefined when the list did not say. */
  period: number | undefined;
  /** YYYY-MM-DD, '' when not set (not active yet). */
  expiredate: string;
  opendate: string;
  ips: string[];
  username: string;
  panelid: string;
}

/** A listed service that cannot be read, with what identifies it ('' where the list did not say). */
export interface UnreadableService {
  id: string;
  remoteid: string;
  error: SellingXmlError;
}

/** A selling service list, each `<elem>` read on its own: one unreadable service fails alone. */
export interface SellingServiceList {
  services: SellingService[];
  unreadable: UnreadableService[];
}

/** Reads one list `<elem>`; unknown fields are ignored; one without a usable id or status cannot be read. */
export function parseSellingService(elem: XmlNode, func: string): SellingService | UnreadableService {
  const text = (name: string): string => textOf(elem[name])?.trim() ?? '';
  const id = text('id');
  const status = Number(text('status'));
  const unreadable = (detail: string): UnreadableService => ({
    id,
    remoteid: text('remoteid'),
    error: new SellingXmlError(func, detail),
  });
  if (!/^\d+$/.test(id))
    return unreadable(`a service without a numeric <id> ('${id}', remoteid '${text('remoteid')}')`);
  if (!Number.isInteger(status) || status < 1)
    return unreadable(`service ${id}: <status> '${text('status')}' is not a status code`);
  const period = text('period');
  return {
    id,
    remoteid: text('remoteid'),
    name: text('name'),
    status,
    pricelist: text('pricelist'),
    period: /^-?\d+$/.test(period) ? Number(period) : undefined,
    expiredate: dateOf(text('expiredate')),
    opendate: dateOf(text('opendate')),
    ips: addressesOf(elem.ip),
    username: text('username'),
    panelid: text('panelid'),
  };
}

function readServices(elems: readonly XmlNode[], func: string): SellingServiceList {
  const list: SellingServiceList = { services: [], unreadable: [] };
  for (const elem of elems) {
    const service = parseSellingService(elem, func);
    if ('error' in service) list.unreadable.push(service);
    else list.services.push(service);
  }
  return list;
}

/** `<ip>` may come once per address or as one comma- or space-separated text. */
function addressesOf(value: unknown): string[] {
  const texts = asList(value as XmlNode | string | (XmlNode | string)[] | undefined).map(
    (v) => textOf(v) ?? '',
  );
  return texts.flatMap((t) => t.split(/[\s,]+/)).filter(Boolean);
}

/** The date part of `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`; '' for empty or zero dates. */
function dateOf(text: string): string {
  const day = text.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && day !== '0000-00-00' ? day : '';
}

/** Every selling service of an item type, and the ones listed that cannot be read. */
export async function listSellingServices(
  client: SellingClient,
  itemtype: string,
): Promise<SellingServiceList> {
  return readServices(await client.list(itemtype), itemtype);
}

/**
 * The selling service ordered for our item `ourId` (sent as remoteid with the order), if there is one.
 * The list is filtered on our side as well: a selling panel that ignores the filter must not mislead us. One that
 * lists our service unreadably is an error, never "not ordered yet": ordering again would order twice.
 */
export async function findByRemoteid(
  client: SellingClient,
  itemtype: string,
  ourId: number,
): Promise<SellingService | undefined> {
  return findIn(await listOne(client, itemtype, { remoteid: ourId }), (s) => s.remoteid === String(ourId));
}

/** The selling service with id `sellingId`, if the selling side still lists it. */
export async function findById(
  client: SellingClient,
  itemtype: string,
  sellingId: string,
): Promise<SellingService | undefined> {
  return findIn(await listOne(client, itemtype, { elid: sellingId }), (s) => s.id === sellingId);
}

async function listOne(
  client: SellingClient,
  itemtype: string,
  filter: Record<string, string | number>,
): Promise<SellingServiceList> {
  return readServices(await client.list(itemtype, filter), itemtype);
}

function findIn(
  list: SellingServiceList,
  wanted: (service: Pick<SellingService, 'id' | 'remoteid'>) => boolean,
): SellingService | undefined {
  const found = list.services.find(wanted);
  if (found) return found;
  const broken = list.unreadable.find(wanted);
  if (broken) throw broken.error;
  return undefined;
}
