/**
 * Fetches the selling side's pending events page by page, stores each page in one transaction, and only then
 * acknowledges it. A crash before the commit loses nothing (the selling side still has the page); a crash after
 * it and before the acknowledgement gets the page again, which the receipts' unique key makes harmless.
 *
 * Contract section 4 ([assumed]) lists `func=itemevent` with `p_cnt` only. This file also sends `p_num` (the
 * 1-based page number, as BILLmanager's other list functions take it) to list page k+1 while page k is stored:
 * with page k still unacknowledged, page k+1 is `p_num=2`. That page is listed before page k is acknowledged, so
 * acknowledging cannot shift it. A selling side that ignores `p_num` answers page 1 again, which is page k: its ids
 * overlap what was just fetched, and the run falls back to one page at a time (`p_num` left out), as before.
 */
import type { Knex } from 'knex';
import { SellingXmlError, type SellingClient } from '../billmgr-api/types';
import { textOf, type XmlNode } from '../contract/xml';
import { itemsLinkedTo } from '../db/item';
import type { CrashHook } from './crash';
import { eventDate, type SellingEvent } from './event-types';
import { insertItemevents } from '../db/itemevent';
import { formatDateTime } from '../domain/dates';
import { insertReceipts, receivedEventIds } from '../db/events/receipt';
import type { EventLog } from './log';
import type { StoredProgress } from './progress';
import { eventTransaction, isDuplicateKey } from './transaction';

export interface ReceiveOptions {
  moduleId: number;
  pageSize: number;
  /** At most this many events fetched in the run. */
  limit?: number;
  now: Date;
  crash: CrashHook;
  log: EventLog;
  /** Told after each page is stored, so that applying can start on it. */
  progress?: StoredProgress;
}

export interface ReceiveResult {
  fetched: number;
  stored: number;
  /** Events the selling side sent again that were already stored: acknowledged, not stored twice. */
  redelivered: number;
}

/** A page as listed: its events, and whether the selling side had no more after them. */
interface ListedPage {
  events: SellingEvent[];
  last: boolean;
  /** The `p_cnt` it was listed with: the page after it is listed with the same, so that `p_num` counts alike. */
  size: number;
}

/** Counts into `result` as it goes, so that a run stopped by the selling side still reports what it did. */
export async function receiveEvents(
  db: Knex,
  client: SellingClient,
  options: ReceiveOptions,
  result: ReceiveResult,
): Promise<void> {
  const remaining = (): number => (options.limit ?? Infinity) - result.fetched;
  // A selling side that ignores acknowledgements lists pages it was told to delete again: stop rather than loop.
  // Only the last two acknowledged pages are kept, so that memory does not grow with the number of events.
  const acknowledged = new RecentPages(2);
  let fetchAhead = true;
  const warn = (message: string) => options.log.warn(message, { module: options.moduleId });
  let page = await listPage(client, Math.min(options.pageSize, remaining()), 1, warn);
  while (page.events.length > 0) {
    if (acknowledged.hasAll(page.events)) {
      options.log.warn(
        `the selling side lists events it has acknowledged (${page.events[0]?.id}...): stopping the fetch`,
        { module: options.moduleId },
      );
      break;
    }
    result.fetched += page.events.length;
    const more = !page.last && remaining() > 0;
    const ahead = more && fetchAhead ? listPage(client, page.size, 2, warn, remaining()) : undefined;
    await storeThenAcknowledge(db, client, page.events, ahead, options, result);
    acknowledged.add(page.events);
    if (!more) break;
    let next = await ahead;
    if (next !== undefined && acknowledged.hasAny(next.events)) {
      options.log.info(
        'the selling side listed page 2 over events already fetched (it ignores p_num or an acknowledgement): ' +
          'fetching one page at a time',
        { module: options.moduleId },
      );
      fetchAhead = false;
      next = undefined;
    }
    page = next ?? (await listPage(client, Math.min(options.pageSize, remaining()), 1, warn));
  }
}

/**
 * Stores the page while the next one is listed, then acknowledges it: only once it is committed, and only once
 * the next page is listed (acknowledging first would shift the next page past events never fetched). A next page
 * that failed to list fails the run after the acknowledgement, as it would have one page at a time.
 */
async function storeThenAcknowledge(
  db: Knex,
  client: SellingClient,
  events: readonly SellingEvent[],
  ahead: Promise<ListedPage> | undefined,
  options: ReceiveOptions,
  result: ReceiveResult,
): Promise<void> {
  const storing = storeEvents(db, options.moduleId, events, options.now).then(({ stored, redelivered }) => {
    result.stored += stored;
    result.redelivered += redelivered;
    options.progress?.pageStored();
    options.crash('after-store');
  });
  const [store, listing] = await Promise.allSettled([storing, ahead]);
  if (store.status === 'rejected') throw store.reason;
  await acknowledge(client, events);
  options.crash('after-ack');
  if (listing.status === 'rejected') throw listing.reason;
}

/** Page `number` of `size` events, cut to `limit`; `p_num` is sent only past page 1 (see the note above). */
async function listPage(
  client: SellingClient,
  size: number,
  number: number,
  log: (message: string) => void,
  limit = Infinity,
): Promise<ListedPage> {
  const { events, listed } = await fetchPage(client, size, number, log);
  return { events: events.slice(0, limit), last: listed < size, size };
}

/**
 * One page of pending events, oldest first, and how many elements the selling side listed. Reading is safe to
 * repeat: the client retries it. An element without an event id can be neither stored nor acknowledged: it is left
 * on the selling side, said in the log, and the rest of the page is read.
 */
export async function fetchPage(
  client: SellingClient,
  size: number,
  number: number,
  log: (message: string) => void,
): Promise<{ events: SellingEvent[]; listed: number }> {
  const params = number > 1 ? { p_cnt: size, p_num: number } : { p_cnt: size };
  const elems = await client.list('itemevent', params);
  const events: SellingEvent[] = [];
  for (const [index, elem] of elems.entries()) {
    const event = parseSellingEvent(elem);
    if (event instanceof SellingXmlError)
      log(`event #${index + 1} of the page is left on the selling side: ${event.message}`);
    else events.push(event);
  }
  return { events, listed: elems.length };
}

/** The ids of the last few pages acknowledged in the run. */
class RecentPages {
  private pages: ReadonlySet<string>[] = [];

  constructor(private readonly keep: number) {}

  add(events: readonly SellingEvent[]): void {
    this.pages = [new Set(events.map((e) => e.id)), ...this.pages].slice(0, this.keep);
  }

  hasAny(events: readonly SellingEvent[]): boolean {
    return events.some((e) => this.has(e.id));
  }

  hasAll(events: readonly SellingEvent[]): boolean {
    return events.every((e) => this.has(e.id));
  }

  private has(id: string): boolean {
    return this.pages.some((page) => page.has(id));
  }
}

/** One listed event; unknown fields are ignored, missing ones are ''. Only the id is required. */
export function parseSellingEvent(elem: XmlNode): SellingEvent | SellingXmlError {
  const text = (name: string): string => textOf(elem[name])?.trim() ?? '';
  const id = text('id');
  if (!/^\d+$/.test(id))
    return new SellingXmlError(
      'itemevent',
      `an event without a numeric <id> ('${id}', selling service '${text('item')}')`,
    );
  return {
    id,
    item: text('item'),
    remoteid: text('remoteid'),
    type: text('type'),
    param: text('param'),
    value: text('value'),
    date: text('date'),
  };
}

/** Deleting an event twice does no harm, so the acknowledgement may be retried. */
async function acknowledge(client: SellingClient, page: readonly SellingEvent[]): Promise<void> {
  await client.call('itemevent.delete', { elid: page.map((e) => e.id).join(','), sok: 'ok' }, { safe: true });
}

/**
 * Stores the events not received before: one receipt and one itemevent row each, in one transaction. Returns how
 * many were new and how many the selling side sent again.
 *
 * Most pages were never received, so a page is stored as it is, receipts first: their unique key refuses it when
 * one of its events was received before (a run stopped between storing and acknowledging). That transaction rolls
 * back, and the page is stored again without the events already received.
 *
 * The services linked to the page are read before the transaction. An event whose service is linked meanwhile is
 * linked when it is applied.
 */
export async function storeEvents(
  db: Knex,
  moduleId: number,
  page: readonly SellingEvent[],
  now: Date,
): Promise<{ stored: number; redelivered: number }> {
  // An event listed twice in the page is stored once.
  const events = [...new Map(page.map((e) => [e.id, e])).values()];
  const linked = await itemsLinkedTo(db, moduleId, [...new Set(events.map((e) => e.item).filter(Boolean))]);
  const store = async (fresh: readonly SellingEvent[]) => {
    if (fresh.length > 0) await eventTransaction(db, (trx) => storeFresh(trx, moduleId, fresh, linked, now));
    return { stored: fresh.length, redelivered: page.length - fresh.length };
  };
  try {
    return await store(events);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const received = await receivedEventIds(
    db,
    moduleId,
    events.map((e) => e.id),
  );
  return store(events.filter((e) => !received.has(e.id)));
}

async function storeFresh(
  trx: Knex.Transaction,
  moduleId: number,
  events: readonly SellingEvent[],
  linked: ReadonlyMap<string, number>,
  now: Date,
): Promise<void> {
  const receivedAt = formatDateTime(now);
  await insertReceipts(
    trx,
    events.map((e) => ({
      processingmodule: moduleId,
      selling_event_id: e.id,
      selling_item: e.item || null,
      received_at: receivedAt,
    })),
  );
  await insertItemevents(
    trx,
    events.map((e) => ({
      item: linked.get(e.item) ?? null,
      processingmodule: moduleId,
      externalid: e.id,
      type: e.type,
      param: e.param,
      value: e.value,
      eventdate: eventDate(e.date),
    })),
  );
}
