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

/** Reads one list `<elem>`; an elem without a usable id or status is a malformed answer. */
export function parseSellingService(elem: XmlNode, func: string): SellingService {
  const text = (name: string): string => textOf(elem[name])?.trim() ?? '';
  const id = text('id');
  const status = Number(text('status'));
  if (!/^\d+$/.test(id)) throw new SellingXmlError(func, `a service without an id in the list`);
  if (!Number.isInteger(status) || status < 1)
    throw new SellingXmlError(func, `service ${id} has no valid <status>`);
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

/** Every selling service of an item type. */
export async function listSellingServices(
  client: SellingClient,
  itemtype: string,
): Promise<SellingService[]> {
  const elems = await client.list(itemtype);
  return elems.map((elem) => parseSellingService(elem, itemtype));
}

/**
 * The selling service ordered for our item `ourId` (sent as remoteid with the order), if there is one.
 * The list is filtered on our side as well: a selling panel that ignores the filter must not mislead us.
 */
export async function findByRemoteid(
  client: SellingClient,
  itemtype: string,
  ourId: number,
): Promise<SellingService | undefined> {
  const elems = await client.list(itemtype, { remoteid: ourId });
  return elems.map((elem) => parseSellingService(elem, itemtype)).find((s) => s.remoteid === String(ourId));
}

/** The selling service with id `sellingId`, if the selling side still lists it. */
export async function findById(
  client: SellingClient,
  itemtype: string,
  sellingId: string,
): Promise<SellingService | undefined> {
  const elems = await client.list(itemtype, { elid: sellingId });
  return elems.map((elem) => parseSellingService(elem, itemtype)).find((s) => s.id === sellingId);
}
