/**
 * Fetches the selling side's pending events page by page, stores each page in one transaction, and only then
 * acknowledges it. A crash before the commit loses nothing (the selling side still has the page); a crash after
 * it and before the acknowledgement gets the page again, which the receipts' unique key makes harmless.
 */
import type { Knex } from 'knex';
import { SellingXmlError, type SellingClient } from '../billmgr-api/types';
import { textOf, type XmlNode } from '../contract/xml';
import { itemsLinkedTo } from '../db/item';
import type { CrashHook } from './crash';
import { eventDate, type SellingEvent } from './event-types';
import { dateTime, insertItemevents, insertReceipts, receivedEventIds } from './event-rows';
import type { EventLog } from './log';
import type { StoredProgress } from './progress';
import { eventTransaction } from './transaction';

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

/** Counts into `result` as it goes, so that a run stopped by the selling side still reports what it did. */
export async function receiveEvents(
  db: Knex,
  client: SellingClient,
  options: ReceiveOptions,
  result: ReceiveResult,
): Promise<void> {
  // A selling side that ignores acknowledgements lists the same page again: stop rather than loop. Only the
  // previous page is kept, so that memory does not grow with the number of events.
  let previousPage = new Set<string>();
  for (;;) {
    const want = Math.min(options.pageSize, (options.limit ?? Infinity) - result.fetched);
    if (want <= 0) break;
    const page = await fetchPage(client, want);
    if (page.length === 0) break;
    if (page.every((event) => previousPage.has(event.id))) {
      options.log.warn(
        `the selling side lists events it has acknowledged (${page[0]?.id}...): stopping the fetch`,
        {
          module: options.moduleId,
        },
      );
      break;
    }
    previousPage = new Set(page.map((event) => event.id));
    result.fetched += page.length;
    const { stored, redelivered } = await storeEvents(db, options.moduleId, page, options.now);
    result.stored += stored;
    result.redelivered += redelivered;
    options.progress?.pageStored();
    options.crash('after-store');
    await acknowledge(client, page);
    options.crash('after-ack');
    if (page.length < want) break;
  }
}

/** One page of pending events, oldest first. Reading is safe to repeat: the client retries it. */
export async function fetchPage(client: SellingClient, size: number): Promise<SellingEvent[]> {
  return (await client.list('itemevent', { p_cnt: size })).map(parseSellingEvent);
}

export function parseSellingEvent(elem: XmlNode): SellingEvent {
  const text = (name: string): string => textOf(elem[name])?.trim() ?? '';
  const id = text('id');
  if (!/^\d+$/.test(id)) throw new SellingXmlError('itemevent', 'an event without an id in the list');
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
 * Stores the events not received before: one itemevent row and one receipt each, in one transaction.
 * Returns how many were new and how many the selling side sent again.
 *
 * What was received and which services are linked is read before the transaction, side by side. That is safe:
 * the receipts' unique key still refuses an event stored meanwhile (the transaction rolls back and nothing is
 * acknowledged), and an event whose service is linked meanwhile is linked when it is applied.
 */
export async function storeEvents(
  db: Knex,
  moduleId: number,
  page: readonly SellingEvent[],
  now: Date,
): Promise<{ stored: number; redelivered: number }> {
  const [received, linked] = await Promise.all([
    receivedEventIds(
      db,
      moduleId,
      page.map((e) => e.id),
    ),
    itemsLinkedTo(db, moduleId, [...new Set(page.map((e) => e.item).filter(Boolean))]),
  ]);
  const fresh = [...new Map(page.filter((e) => !received.has(e.id)).map((e) => [e.id, e])).values()];
  if (fresh.length > 0) {
    await eventTransaction(db, (trx) => storeFresh(trx, moduleId, fresh, linked, now));
  }
  return { stored: fresh.length, redelivered: page.length - fresh.length };
}

async function storeFresh(
  trx: Knex.Transaction,
  moduleId: number,
  events: readonly SellingEvent[],
  linked: ReadonlyMap<string, number>,
  now: Date,
): Promise<void> {
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
  const receivedAt = dateTime(now);
  await insertReceipts(
    trx,
    events.map((e) => ({
      processingmodule: moduleId,
      selling_event_id: e.id,
      selling_item: e.item || null,
      received_at: receivedAt,
    })),
  );
}
