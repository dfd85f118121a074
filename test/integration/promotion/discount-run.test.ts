/**
 * The discount run on MariaDB, worked in cents: percent and fixed, targets, validity, stacking and exclusivity,
 * the budget (never exceeded, also with two runs at once), re-runs crediting nothing twice, each credit in the
 * outbox once with the ledger entry it carries out.
 */
import { BusyError } from '../../../src/domain/errors';
import { showOffer } from '../../../src/promotions/discounts/offers';
import { runDiscounts } from '../../../src/promotions/discounts/run';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { DiscountWorld, OUTBOX } from './discount-world';

let t: ThrowawayDb;
let world: DiscountWorld;
const COMMIT = new Date('2026-12-01T10:00:00Z');
const NOW = new Date('2027-03-01T00:00:00Z');

beforeAll(async () => {
  t = await createThrowawayDb();
  world = new DiscountWorld(t.db);
  await world.createOutbox();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  // Each test sees only its own expenses: the ones before it are marked discounted or hold no discount.
  await runDiscounts(t.db, world.credits(), { now: NOW });
});

async function ledger(account: number): Promise<{ promotion: number; source: string; minor: string }[]> {
  const rows = (await t
    .db('bmp_promotion_ledger')
    .where({ account, kind: 'discount' })
    .orderBy('id')
    .select('promotion', 'source', 'amount_minor')) as {
    promotion: number;
    source: string;
    amount_minor: string;
  }[];
  return rows.map((r) => ({
    promotion: Number(r.promotion),
    source: r.source,
    minor: String(r.amount_minor),
  }));
}

describe('what a discount credits', () => {
  it('12.5 % off a tariff: 100.00 gives 12.50 while the ordered month lasts, nothing before the commit, on another tariff or after', async () => {
    const account = await world.account();
    const vds = await world.tariff('vds');
    const other = await world.tariff('vds');
    const promotion = await world.discount({ percent: '12.5', tariffs: [vds] });
    await world.holds(account, promotion, COMMIT);
    const service = await world.service(account, vds, 1);
    const otherService = await world.service(account, other, 1);
    await world.serviceExpense(account, service, '100.00', '2026-11-30 09:00:00'); // before the commit
    const paid = await world.serviceExpense(account, service, '100.00', '2026-12-02 09:00:00');
    await world.serviceExpense(account, otherService, '40.00', '2026-12-02 09:00:00'); // another tariff
    await world.serviceExpense(account, service, '100.00', '2027-01-02 09:00:00'); // after the month ordered

    const credits = world.credits();
    const report = await runDiscounts(t.db, credits, { now: NOW });
    expect(report).toMatchObject({ discounted: 1, entries: 1, credited: { USD: '1250' } });
    expect(await ledger(account)).toEqual([
      { promotion, source: `discount:expense:${paid}:${promotion}`, minor: '1250' },
    ]);
    const [entry] = (await t
      .db('bmp_promotion_ledger')
      .where({ account, kind: 'discount' })
      .pluck('id')) as number[];
    expect(await world.outbox(account)).toEqual([
      {
        credit_key: `promotion:discount:${entry}`,
        account,
        amount_minor: '1250',
        currency: 'USD',
        info: expect.stringMatching(
          new RegExp(`^Discount Promotion \\d+ \\(promotion ${promotion}, ledger ${entry}\\)$`),
        ),
      },
    ]);
    expect(credits.payCalls).toBe(1);
  });

  it('a fixed 5.00 off a product type for 3 days from the commit: a 3.00 expense gives 3.00, one on day 4 nothing', async () => {
    const account = await world.account();
    const domain = await world.tariff('domain');
    const promotion = await world.discount({ amount: '5.00', currency: 'USD', itemTypes: ['domain'] });
    await world.holds(account, promotion, COMMIT, { type: 'day', length: 3 });
    const service = await world.service(account, domain, 12);
    await world.serviceExpense(account, service, '3.00', '2026-12-04 09:59:59');
    await world.serviceExpense(account, service, '9.00', '2026-12-04 10:00:00'); // the end is exclusive
    const report = await runDiscounts(t.db, world.credits(), { now: NOW });
    expect(report).toMatchObject({ discounted: 1, credited: { USD: '300' } });
    expect((await ledger(account)).map((e) => e.minor)).toEqual(['300']);
  });

  it('exclusive offers: the tariff one wins over the larger one off all services; a stackable 1.00 adds on top', async () => {
    const account = await world.account();
    const vds = await world.tariff('vds');
    const onTariff = await world.discount({ percent: '10', tariffs: [vds] });
    const onAll = await world.discount({ percent: '20' });
    const extra = await world.discount({ amount: '1.00', currency: 'USD', exclusive: false });
    for (const p of [onTariff, onAll, extra]) await world.holds(account, p, COMMIT);
    const service = await world.service(account, vds, 1);
    const expense = await world.serviceExpense(account, service, '50.00', '2026-12-03 00:00:00');
    await runDiscounts(t.db, world.credits(), { now: NOW });
    expect(await ledger(account)).toEqual([
      { promotion: onTariff, source: `discount:expense:${expense}:${onTariff}`, minor: '500' },
      { promotion: extra, source: `discount:expense:${expense}:${extra}`, minor: '100' },
    ]);
    expect((await world.outbox(account)).map((c) => c.amount_minor)).toEqual(['500', '100']);
  });

  it('a higher priority wins over a more specific target', async () => {
    const account = await world.account();
    const vds = await world.tariff('vds');
    await world.holds(account, await world.discount({ percent: '10', tariffs: [vds] }), COMMIT);
    const urgent = await world.discount({ percent: '3', priority: 5 });
    await world.holds(account, urgent, COMMIT);
    const service = await world.service(account, vds, 1);
    await world.serviceExpense(account, service, '50.00', '2026-12-03 00:00:00');
    await runDiscounts(t.db, world.credits(), { now: NOW });
    expect((await ledger(account)).map((e) => [e.promotion, e.minor])).toEqual([[urgent, '150']]);
  });

  it.each([
    ['recorded', { state: 'done', recorded: true }],
    ['not recorded yet (the core answered, the answer was lost)', { state: 'pending', recorded: false }],
  ])(
    'funds the plugin took back through the core are no charge, their expense %s: an offer off all services gives nothing of them',
    async (_, debit) => {
      const account = await world.account();
      const promotion = await world.discount({ percent: '50' });
      // Valid 30 days from the commit, whatever the expense's service (a debit's expense has none).
      await world.holds(account, promotion, COMMIT, { type: 'day', length: 30 });
      // The expense expense.edit booked for a debit of the host outbox (certificate funds taken back).
      const [takenBack] = (await t.db('expense').insert({
        account,
        project: 1,
        amount: '8.00',
        currency: await world.currency(),
        realdate: '2026-12-03 00:00:00',
        name: 'Certificate funds expired: 8.00 USD unspent',
      })) as number[];
      await t.db('bmp_host_credit').insert({
        credit_key: `test:debit:${takenBack}`,
        kind: 'debit',
        account,
        amount_minor: 800,
        currency: 'USD',
        info: 'Certificate funds expired: 8.00 USD unspent',
        state: debit.state,
        expense: debit.recorded ? takenBack : null,
        created_at: '2026-12-03 00:00:00',
      });
      const service = await world.service(account, await world.tariff('vds'), 1);
      await world.serviceExpense(account, service, '10.00', '2026-12-03 00:00:00');
      await runDiscounts(t.db, world.credits(), { now: NOW });
      expect((await ledger(account)).map((e) => e.minor)).toEqual(['500']);
    },
  );

  it('a re-run credits nothing again', async () => {
    const account = await world.account();
    const vds = await world.tariff('vds');
    const promotion = await world.discount({ percent: '50' });
    await world.holds(account, promotion, COMMIT);
    const service = await world.service(account, vds, 1);
    await world.serviceExpense(account, service, '10.00', '2026-12-03 00:00:00');
    expect((await runDiscounts(t.db, world.credits(), { now: NOW })).entries).toBe(1);
    const outboxBefore = await t.db(OUTBOX).count({ n: '*' });
    expect(await runDiscounts(t.db, world.credits(), { now: NOW })).toMatchObject({
      discounted: 0,
      entries: 0,
    });
    expect(await t.db(OUTBOX).count({ n: '*' })).toEqual(outboxBefore);
    expect((await ledger(account)).map((e) => e.minor)).toEqual(['500']);
  });
});

describe('the budget', () => {
  it('is never exceeded: 50 % of four 20.00 expenses against 25.00 gives 10.00, 10.00, 5.00 (capped), then nothing', async () => {
    const [a, b] = [await world.account(), await world.account()];
    const vds = await world.tariff('vds');
    const promotion = await world.discount({ percent: '50', budget: '25.00', budgetCurrency: 'USD' });
    for (const account of [a, b]) await world.holds(account, promotion, COMMIT);
    const [sa, sb] = [await world.service(a, vds, 1), await world.service(b, vds, 1)];
    await world.serviceExpense(a, sa, '20.00', '2026-12-03 00:00:00');
    await world.serviceExpense(b, sb, '20.00', '2026-12-03 00:00:00');
    await world.serviceExpense(a, sa, '20.00', '2026-12-04 00:00:00');
    await world.serviceExpense(b, sb, '20.00', '2026-12-04 00:00:00');
    await runDiscounts(t.db, world.credits(), { now: NOW, pageSize: 1 });
    expect([...(await ledger(a)), ...(await ledger(b))].map((e) => e.minor).sort()).toEqual([
      '1000',
      '1000',
      '500',
    ]);
    expect(await showOffer(t.db, promotion)).toMatchObject({
      budget: '25.00',
      spent: '25.00',
      budgetCurrency: 'USD',
    });
  });

  it('a second run while one is under way is refused as busy; together they give no more than the budget, each expense at most once', async () => {
    const vds = await world.tariff('vds');
    const promotion = await world.discount({ percent: '50', budget: '37.00', budgetCurrency: 'USD' });
    const accounts: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const account = await world.account();
      accounts.push(account);
      await world.holds(account, promotion, COMMIT);
      const service = await world.service(account, vds, 1);
      for (let d = 3; d < 6; d += 1)
        await world.serviceExpense(account, service, '10.00', `2026-12-0${d} 00:00:00`);
    }
    // The first run is held inside its first page (in its transaction, credits queued, not committed) until the
    // second has started: the two overlap for certain, and the second is told the first is under way.
    let second: Promise<unknown> | undefined;
    const held = world.credits();
    const first = runDiscounts(
      t.db,
      {
        ...held,
        enqueue: async (db, select, bindings) => {
          await held.enqueue(db, select, bindings);
          second ??= runDiscounts(t.db, world.credits(), { now: NOW, pageSize: 2 }).catch(
            (err: unknown) => err,
          );
          await second;
        },
      },
      { now: NOW, pageSize: 2 },
    );
    await first;
    expect(await second).toBeInstanceOf(BusyError);
    await runDiscounts(t.db, world.credits(), { now: NOW }); // the busy one, now again: nothing more
    const entries = (await t.db('bmp_promotion_ledger').where({ promotion, kind: 'discount' })) as {
      source: string;
      amount_minor: string;
    }[];
    const total = entries.reduce((s, e) => s + BigInt(String(e.amount_minor)), 0n);
    expect(total).toBe(3700n); // 7 × 5.00 and one 2.00, of 18 × 5.00 wanted
    expect(new Set(entries.map((e) => e.source)).size).toBe(entries.length);
    const credited = (await world.outbox()).filter((c) => accounts.includes(c.account));
    expect(credited.reduce((s, c) => s + BigInt(c.amount_minor), 0n)).toBe(3700n);
    expect(await showOffer(t.db, promotion)).toMatchObject({ spent: '37.00' });
  });
});
