/**
 * 1,000 random histories, one partner each, in one database: charges, negative expenses, refunded and cancelled
 * payments booked at random moments among a random sequence of monthly runs and re-runs, some of them late into
 * months already paid. For every partner the ledger's rewards (earned + reversed) must equal what `reference`
 * computes from the history alone. The seed is in the test's name; CLAWBACK_SEED=<seed> replays one.
 */
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { T } from '../../../src/db/affiliate/tables';
import { money, percentOf } from '../../../src/domain/money';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { AffiliateWorld } from './world';

const SEED = Number.parseInt(process.env.CLAWBACK_SEED ?? String(Date.now() % 2147483647), 10);
const HISTORIES = 1000;
const MONTHS = ['2030-01', '2030-02', '2030-03', '2030-04', '2030-05', '2030-06'];
const RUNS = 8;
/** After the random runs, one run that looks back over every month: the history's end. */
const FINAL_RUN = '2030-07';
const PERCENTS = ['10', '33.33'];

/** mulberry32: a small seeded PRNG, so that a failing history can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Expense {
  month: string;
  day: number;
  minor: bigint;
  /** Booked before run `step` (RUNS: before the final run). */
  step: number;
}
interface Payment {
  month: string;
  minor: bigint;
  /** 6 refunded or 5 cancelled before run `step`; null: stays paid. */
  givenBack: { status: 5 | 6; step: number } | null;
}
interface Referral {
  expenses: Expense[];
  payments: Payment[];
}
interface History {
  percent: string;
  referrals: Referral[];
}

function generate(random: () => number): { histories: History[]; runs: string[] } {
  const int = (below: number): number => Math.floor(random() * below);
  const pick = <V>(values: readonly V[]): V => values[int(values.length)] as V;
  const amount = (): bigint => BigInt(1 + int(30000));
  const histories: History[] = [];
  for (let h = 0; h < HISTORIES; h += 1) {
    const referrals: Referral[] = [];
    for (let r = 0, n = 1 + int(2); r < n; r += 1) {
      const expenses: Expense[] = [];
      for (let e = 0, count = int(5); e < count; e += 1) {
        const negative = random() < 0.3;
        expenses.push({
          month: pick(MONTHS),
          day: 1 + int(28),
          minor: negative ? -amount() : amount(),
          step: int(RUNS + 1),
        });
      }
      const payments: Payment[] = [];
      for (let p = 0, count = int(3); p < count; p += 1) {
        const back = random();
        payments.push({
          month: pick(MONTHS),
          minor: amount(),
          givenBack:
            back < 0.4
              ? { status: 6, step: int(RUNS + 1) }
              : back < 0.5
                ? { status: 5, step: int(RUNS + 1) }
                : null,
        });
      }
      referrals.push({ expenses, payments });
    }
    histories.push({ percent: pick(PERCENTS), referrals });
  }
  const runs = Array.from({ length: RUNS }, () => pick(MONTHS));
  return { histories, runs };
}

/**
 * What a partner must have earned net, from the history alone: each month some run paid, the percent of the
 * month's charges of all its referrals, rounded once; less, per referral, the percent of what was given back (its
 * negative expenses and refunded or cancelled payments), at most of what it was charged in the months paid.
 */
function reference(history: History, paidMonths: ReadonlySet<string>): bigint {
  const percentOfMinor = (minor: bigint): bigint => percentOf(money(minor, 'USD'), history.percent).minor;
  let earned = 0n;
  for (const month of paidMonths) {
    let charged = 0n;
    for (const referral of history.referrals)
      for (const e of referral.expenses) if (e.month === month && e.minor > 0n) charged += e.minor;
    earned += percentOfMinor(charged);
  }
  let reversed = 0n;
  for (const referral of history.referrals) {
    let charged = 0n;
    let givenBack = 0n;
    for (const e of referral.expenses) {
      if (e.minor > 0n && paidMonths.has(e.month)) charged += e.minor;
      if (e.minor < 0n) givenBack -= e.minor;
    }
    for (const p of referral.payments) if (p.givenBack) givenBack += p.minor;
    reversed += percentOfMinor(charged < givenBack ? charged : givenBack);
  }
  return earned - reversed;
}

/** Minor units as a decimal(14,4) literal. */
function decimal(minor: bigint): string {
  const abs = minor < 0n ? -minor : minor;
  return `${minor < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function runDateFor(month: string): string {
  const [year, mon] = month.split('-').map((part) => Number.parseInt(part, 10)) as [number, number];
  return mon === 12 ? `${year + 1}-01-01` : `${year}-${String(mon + 1).padStart(2, '0')}-01`;
}

let throwaway: ThrowawayDb;
beforeAll(async () => {
  throwaway = await createThrowawayDb();
});
afterAll(async () => {
  await throwaway.drop();
});

it(`1,000 random histories of charges, refunds, negative expenses and runs match the reference (seed ${SEED})`, async () => {
  const db = throwaway.db;
  const world = new AffiliateWorld(db);
  await world.settings({ autoApply: false });
  const usd = await world.currency('USD');
  const programs = new Map<string, number>();
  for (const percent of PERCENTS) programs.set(percent, (await world.program({ rewardPercent: percent })).id);
  const { histories, runs } = generate(prng(SEED));

  const accounts: Record<string, unknown>[] = [];
  const partners: Record<string, unknown>[] = [];
  const referralRows: Record<string, unknown>[] = [];
  const expensesAt = new Map<number, Record<string, unknown>[]>();
  const paymentRows: Record<string, unknown>[] = [];
  const givenBackAt = new Map<number, Array<{ index: number; status: number }>>();
  const account = (id: number): void => {
    accounts.push({ id, name: `Account ${id}`, email: `a${id}@example.com`, balance: 0, currency: usd });
  };
  let nextAccount = 1_000_000;
  histories.forEach((history, h) => {
    const affiliate = 500_000 + h;
    const partnerAccount = nextAccount++;
    account(partnerAccount);
    partners.push({
      id: affiliate,
      program: programs.get(history.percent),
      account: partnerAccount,
      promocode: `RND${affiliate}`,
      active: 1,
      created_at: '2029-12-01 00:00:00',
    });
    for (const referral of history.referrals) {
      const referred = nextAccount++;
      account(referred);
      referralRows.push({
        affiliate,
        account: referred,
        source: 'manual',
        bound_at: '2029-12-15 00:00:00',
        status: 'active',
      });
      for (const e of referral.expenses) {
        const rows = expensesAt.get(e.step) ?? [];
        rows.push({
          account: referred,
          amount: decimal(e.minor),
          currency: usd,
          realdate: `${e.month}-${String(e.day).padStart(2, '0')} 12:00:00`,
        });
        expensesAt.set(e.step, rows);
      }
      for (const p of referral.payments) {
        const index = paymentRows.length;
        paymentRows.push({
          account: referred,
          amount: decimal(p.minor),
          currency: usd,
          status: 4,
          createdate: `${p.month}-03 00:00:00`,
          paydate: `${p.month}-03 00:00:00`,
          paymethod: 'card',
        });
        if (p.givenBack) {
          const at = givenBackAt.get(p.givenBack.step) ?? [];
          at.push({ index, status: p.givenBack.status });
          givenBackAt.set(p.givenBack.step, at);
        }
      }
    }
  });
  await db.batchInsert('account', accounts, 500);
  await db.batchInsert(T.affiliate, partners, 500);
  await db.batchInsert(T.referral, referralRows, 500);
  const firstPayment = Number((await db('payment').max({ id: 'id' }).first())?.id ?? 0) + 1;
  await db.batchInsert('payment', paymentRows, 500);
  const paymentIds = (await db('payment')
    .where('id', '>=', firstPayment)
    .orderBy('id')
    .pluck('id')) as number[];

  const book = async (step: number): Promise<void> => {
    const expenses = expensesAt.get(step) ?? [];
    if (expenses.length > 0) await db.batchInsert('expense', expenses, 500);
    for (const status of [5, 6]) {
      const ids = (givenBackAt.get(step) ?? [])
        .filter((g) => g.status === status)
        .map((g) => Number(paymentIds[g.index]));
      if (ids.length > 0) await db('payment').whereIn('id', ids).update({ status });
    }
  };
  for (const [step, month] of [...runs, FINAL_RUN].entries()) {
    await book(step);
    const date = runDateFor(month);
    await runAffiliateMonthly(db, { date, now: new Date(`${date}T02:00:00Z`) });
  }

  const rows = (await db(T.ledger)
    .whereIn('kind', ['earned', 'reversed'])
    .where('affiliate', '>=', 500_000)
    .groupBy('affiliate')
    .select('affiliate')
    .sum({ total: 'amount_minor' })) as Array<{ affiliate: number; total: string | number }>;
  const actual = new Map(rows.map((r) => [Number(r.affiliate), BigInt(String(r.total))]));
  const paidMonths = new Set([...runs, FINAL_RUN]);
  const wrong: string[] = [];
  histories.forEach((history, h) => {
    const expected = reference(history, paidMonths);
    const got = actual.get(500_000 + h) ?? 0n;
    if (got !== expected)
      wrong.push(
        `history ${h}: ledger ${got}, reference ${expected}: ${JSON.stringify(history, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
      );
  });
  expect({ seed: SEED, runs, wrong: wrong.slice(0, 3), wrongCount: wrong.length }).toEqual({
    seed: SEED,
    runs,
    wrong: [],
    wrongCount: 0,
  });
}, 120_000);
