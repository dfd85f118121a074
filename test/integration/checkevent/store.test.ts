/**
 * Storing a page: new pages are stored as they are; the receipts' unique key refuses a page received before, and
 * the page is then stored without the events already received. On MariaDB and on SQLite (the demo's database),
 * whose drivers report a duplicate key differently.
 */
import type { Knex } from 'knex';
import type { SellingEvent } from '../../../src/events/event-types';
import { storeEvents } from '../../../src/events/receive';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { createThrowawaySqliteDb } from '../../support/sqlite';

const MODULE = 3;
const NOW = new Date('2026-12-01T10:00:00Z');
const LINKED_SELLING_ITEM = '5001';

function events(ids: readonly number[]): SellingEvent[] {
  return ids.map((id) => ({
    id: String(id),
    item: id % 2 === 0 ? LINKED_SELLING_ITEM : '5002',
    remoteid: '',
    type: 'param',
    param: 'username',
    value: `user${id}`,
    date: '2026-12-01 10:00:00',
  }));
}

describe.each([
  ['MariaDB', createThrowawayDb],
  ['SQLite', createThrowawaySqliteDb],
])('storing pages of events on %s', (_name, open) => {
  let database: ThrowawayDb;
  let service: number;
  const db = (): Knex => database.db;
  const storedIds = async (): Promise<string[]> =>
    (
      (await db()('itemevent')
        .where({ processingmodule: MODULE })
        .orderBy('id')
        .pluck('externalid')) as string[]
    ).map(String);
  const receiptIds = async (): Promise<string[]> =>
    (
      (await db()('bmp_event_receipt')
        .where({ processingmodule: MODULE })
        .orderBy('id')
        .pluck('selling_event_id')) as string[]
    ).map(String);

  beforeAll(async () => {
    database = await open();
    [service] = (await db()('item').insert({
      processingmodule: MODULE,
      status: 2,
      remoteid: LINKED_SELLING_ITEM,
    })) as [number];
  });

  afterAll(async () => {
    await database.drop();
  });

  it('stores a new page: a receipt and an itemevent row per event, linked to the local service', async () => {
    await expect(storeEvents(db(), MODULE, events([1, 2, 3, 4]), NOW)).resolves.toEqual({
      stored: 4,
      redelivered: 0,
    });

    expect(await storedIds()).toEqual(['1', '2', '3', '4']);
    expect(await receiptIds()).toEqual(['1', '2', '3', '4']);
    const linked = await db()('itemevent').where({ processingmodule: MODULE }).orderBy('id').pluck('item');
    expect(linked.map((item: number | null) => (item === null ? null : Number(item)))).toEqual([
      null,
      service,
      null,
      service,
    ]);
  });

  it('stores nothing twice when the same page comes again', async () => {
    await expect(storeEvents(db(), MODULE, events([1, 2, 3, 4]), NOW)).resolves.toEqual({
      stored: 0,
      redelivered: 4,
    });

    expect(await storedIds()).toEqual(['1', '2', '3', '4']);
    expect(await receiptIds()).toEqual(['1', '2', '3', '4']);
  });

  it('stores only the new events of a page that was half received before', async () => {
    await expect(storeEvents(db(), MODULE, events([3, 4, 5, 6]), NOW)).resolves.toEqual({
      stored: 2,
      redelivered: 2,
    });

    expect(await storedIds()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(await receiptIds()).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('stores an event listed twice in one page once', async () => {
    await expect(storeEvents(db(), MODULE, events([7, 7, 8]), NOW)).resolves.toEqual({
      stored: 2,
      redelivered: 1,
    });

    expect(await storedIds()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });
});
