/**
 * Clawback once per commission and late expenses, with worked numbers on MariaDB (issue 13, items 2 and 3).
 * 10 % of a paid 200.00 expense earns 20.00; the host may refund the payment, book a -200.00 expense, or both, in
 * any order around the monthly runs and their re-runs: the partner loses the 20.00 once, and ends at 0.00.
 */
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { LATE_EXPENSE_MONTHS } from '../../../src/affiliate/earning';
import { T } from '../../../src/db/affiliate/tables';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { AffiliateWorld, cents } from './world';

/** Runs the month paid for `month` (the run dated the 1st of the next month). */
async function runFor(db: ThrowawayDb['db'], month: string): Promise<void> {
  const [year, mon] = month.split('-').map((part) => Number.parseInt(part, 10)) as [number, number];
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  await runAffiliateMonthly(db, { date: `${next}-01`, now: new Date(`${next}-01T02:00:00Z`) });
}

async function rewardTotals(
  db: ThrowawayDb['db'],
  affiliate: number,
): Promise<{ earned: string; reversed: string; reversals: number }> {
  const rows = (await db(T.ledger)
    .where({ affiliate })
    .whereIn('kind', ['earned', 'reversed'])
    .select('kind', 'amount_minor', 'reverses')) as Array<{
    kind: string;
    amount_minor: string | number;
    reverses: string | null;
  }>;
  const sum = (kind: string): string =>
    cents(rows.filter((r) => r.kind === kind).reduce((total, r) => total + BigInt(r.amount_minor), 0n));
  const reversals = rows.filter((r) => r.kind === 'reversed');
  for (const r of reversals) expect(r.reverses).toMatch(/^(referral|ledger):\d+$/);
  return { earned: sum('earned'), reversed: sum('reversed'), reversals: reversals.length };
}

describe.each([
  ['January before February', ['2029-01', '2029-02', '2029-01', '2029-02']],
  ['February before January', ['2029-02', '2029-01', '2029-02', '2029-01']],
])('a refund and a -200.00 expense of a 200.00 charge, runs %s', (_order, runs) => {
  let throwaway: ThrowawayDb;
  let world: AffiliateWorld;
  beforeAll(async () => {
    throwaway = await createThrowawayDb();
    world = new AffiliateWorld(throwaway.db);
  });
  afterAll(async () => {
    await throwaway.drop();
  });

  it('takes the 20.00 back once wherever the refund and the negative expense fall among the runs and re-runs', async () => {
    const program = await world.program({ rewardPercent: '10' });
    // slot k: the refund (or the negative expense) is booked before run k; slot runs.length: after them all.
    // null: never booked.
    const slots = [null, ...runs.map((_, k) => k), runs.length];
    const cases: Array<{
      refundAt: number | null;
      returnAt: number | null;
      affiliate: number;
      paid: number;
      account: number;
    }> = [];
    for (const refundAt of slots) {
      for (const returnAt of slots) {
        const partner = await world.partner(program);
        const { account } = await world.referral(partner, '2028-12-15T00:00:00Z');
        const paid = await world.payment(account, '200.00', '2029-01-05 10:00:00');
        await world.expense(account, '200.00', '2029-01-10 00:00:00');
        cases.push({ refundAt, returnAt, affiliate: partner.id, paid, account });
      }
    }
    const bookUpTo = async (step: number): Promise<void> => {
      for (const c of cases) {
        if (c.refundAt === step) await world.setPaymentStatus(c.paid, 6);
        if (c.returnAt === step) await world.expense(c.account, '-200.00', '2029-02-10 00:00:00');
      }
    };
    for (const [step, month] of runs.entries()) {
      await bookUpTo(step);
      await runFor(throwaway.db, month);
      for (const c of cases) {
        // Never more than was earned, at any point.
        const { earned, reversed } = await rewardTotals(throwaway.db, c.affiliate);
        expect(BigInt(earned.replace('.', '')) + BigInt(reversed.replace('.', ''))).toBeGreaterThanOrEqual(
          0n,
        );
      }
    }
    await bookUpTo(runs.length);
    // The months are run once more each, after everything was booked.
    await runFor(throwaway.db, '2029-01');
    await runFor(throwaway.db, '2029-02');
    await runFor(throwaway.db, '2029-02');
    for (const c of cases) {
      const totals = await rewardTotals(throwaway.db, c.affiliate);
      const givenBack = c.refundAt !== null || c.returnAt !== null;
      expect({ case: c.refundAt + '/' + c.returnAt, ...totals }).toEqual({
        case: c.refundAt + '/' + c.returnAt,
        earned: '20.00',
        reversed: givenBack ? '-20.00' : '0.00',
        reversals: givenBack ? 1 : 0,
      });
    }
  });
});

describe('clawback caps', () => {
  let throwaway: ThrowawayDb;
  let world: AffiliateWorld;
  beforeAll(async () => {
    throwaway = await createThrowawayDb();
    world = new AffiliateWorld(throwaway.db);
  });
  afterAll(async () => {
    await throwaway.drop();
  });

  it("one referral's refund never takes another referral's commission", async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const a = await world.referral(partner, '2030-12-15T00:00:00Z');
    const b = await world.referral(partner, '2030-12-15T00:00:00Z');
    await world.expense(a.account, '100.00', '2031-01-10 00:00:00');
    await world.expense(b.account, '300.00', '2031-01-10 00:00:00');
    const paid = await world.payment(a.account, '500.00', '2031-01-05 00:00:00'); // more than a was charged
    await runFor(throwaway.db, '2031-01'); // 10 % of 400.00
    await world.setPaymentStatus(paid, 6);
    await world.expense(a.account, '-100.00', '2031-02-03 00:00:00');
    await runFor(throwaway.db, '2031-02');
    await runFor(throwaway.db, '2031-03');
    // a earned 10.00 of the 40.00 and loses those 10.00 once; b's 30.00 stay.
    expect(await rewardTotals(throwaway.db, partner.id)).toEqual({
      earned: '40.00',
      reversed: '-10.00',
      reversals: 1,
    });
  });
});

describe('late expenses: booked into a month already paid', () => {
  let throwaway: ThrowawayDb;
  let world: AffiliateWorld;
  beforeAll(async () => {
    throwaway = await createThrowawayDb();
    world = new AffiliateWorld(throwaway.db);
  });
  afterAll(async () => {
    await throwaway.drop();
  });

  it('are paid by the next run, once, under the month they belong to', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2032-12-15T00:00:00Z');
    await world.expense(account, '100.05', '2033-01-10 00:00:00');
    await runFor(throwaway.db, '2033-01'); // 10.005 -> 10.01
    await world.expense(account, '50.00', '2033-01-20 00:00:00'); // booked after January was paid
    await world.expense(account, '0.04', '2033-01-21 00:00:00');
    await runFor(throwaway.db, '2033-02'); // January is now 150.09: 15.01, of which 10.01 paid
    await runFor(throwaway.db, '2033-02');
    await runFor(throwaway.db, '2033-01');
    await runFor(throwaway.db, '2033-03');
    const earned = (await world.ledger(partner.id)).filter((e) => e.kind === 'earned');
    expect(earned).toEqual([
      { kind: 'earned', rule: 'percent_of_expenses', amount: '10.01', period: '2033-01' },
      { kind: 'earned', rule: 'percent_of_expenses', amount: '5.00', period: '2033-01' },
    ]);
  });

  it('a re-run of the month itself pays a late expense once, and the next run pays nothing more', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2034-12-15T00:00:00Z');
    await world.expense(account, '80.00', '2035-01-10 00:00:00');
    await runFor(throwaway.db, '2035-01');
    await world.expense(account, '20.00', '2035-01-11 00:00:00');
    await runFor(throwaway.db, '2035-01');
    await runFor(throwaway.db, '2035-02');
    await runFor(throwaway.db, '2035-02');
    const earned = (await world.ledger(partner.id)).filter((e) => e.kind === 'earned');
    expect(earned.map((e) => `${e.period} ${e.amount}`)).toEqual(['2035-01 8.00', '2035-01 2.00']);
  });

  it(`look back ${LATE_EXPENSE_MONTHS} months: an expense booked into an older paid month is not paid`, async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2036-12-15T00:00:00Z');
    await world.expense(account, '100.00', '2037-01-10 00:00:00');
    await runFor(throwaway.db, '2037-01');
    await world.expense(account, '30.00', '2037-01-12 00:00:00'); // late, 13 months before the next run's month
    await world.expense(account, '40.00', '2037-02-12 00:00:00'); // late into February, 12 months before: paid
    await runFor(throwaway.db, '2037-02'); // pays February on time: 4.00, and January's 3.00 late
    await world.expense(account, '10.00', '2037-01-13 00:00:00');
    await world.expense(account, '20.00', '2037-02-13 00:00:00');
    await runFor(throwaway.db, '2038-02'); // January 2037 is 13 months back: out; February 2037 is 12: in
    const earned = (await world.ledger(partner.id)).filter((e) => e.kind === 'earned');
    expect(earned.map((e) => `${e.period} ${e.amount}`)).toEqual([
      '2037-01 10.00',
      '2037-02 4.00',
      '2037-01 3.00',
      '2037-02 2.00',
    ]);
  });
});
