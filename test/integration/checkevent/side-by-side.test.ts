/**
 * Receiving and applying run side by side on two connections. A page being stored must not wait for (or deadlock
 * with) a batch being applied: a run found two pages apart in a small table failing with "Deadlock found".
 */
import type { SellingEvent } from '../../../src/events/event-types';
import { deleteApplied, pendingEvents } from '../../../src/db/itemevent';
import { storeEvents } from '../../../src/events/receive';
import { eventTransaction } from '../../../src/events/transaction';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let t: ThrowawayDb;
const MODULE = 1;
const NOW = new Date('2026-11-23T10:00:00Z');

beforeAll(async () => {
  t = await createThrowawayDb();
});

afterAll(async () => {
  await t.drop();
});

function page(from: number, count: number): SellingEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(from + i),
    item: String(1000 + from + i),
    remoteid: '',
    type: 'param',
    param: 'username',
    value: `user${from + i}`,
    date: '2026-11-23 10:00:00',
  }));
}

/** Resolves with what `promise` gave, or with 'still waiting' after `ms`; the timer never outlives the test. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<'still waiting'>((r) => (timer = setTimeout(() => r('still waiting'), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('storing a page while a batch is being applied', () => {
  it('does not wait for the apply transaction, and both commit', async () => {
    await storeEvents(t.db, MODULE, page(1, 200), NOW);
    const batch = await pendingEvents(t.db, MODULE, 0, 200);
    let release: () => void = () => undefined;
    const applyHeld = new Promise<void>((r) => (release = r));
    let marked: () => void = () => undefined;
    const markedNow = new Promise<void>((r) => (marked = r));

    // The apply transaction deletes its batch's rows, then stays open while the next page is stored.
    const applying = eventTransaction(t.db, async (trx) => {
      await deleteApplied(trx, batch);
      marked();
      await applyHeld;
    });
    await markedNow;
    const storing = storeEvents(t.db, MODULE, page(201, 200), NOW);
    const stored = await within(storing, 3000);
    release();
    await applying;

    expect(stored).toEqual({ stored: 200, redelivered: 0 });
    // The applied page left itemevent, the stored one is there; both pages keep their receipts.
    expect(
      await t.db('itemevent').where({ processingmodule: MODULE }).orderBy('id').pluck('externalid'),
    ).toEqual(page(201, 200).map((e) => e.id));
    const receipts = (await t
      .db('bmp_event_receipt')
      .where({ processingmodule: MODULE })
      .pluck('selling_event_id')) as string[];
    expect(receipts.map(Number).sort((a, b) => a - b)).toEqual(page(1, 400).map((e) => Number(e.id)));
    await storing;
  });
});
