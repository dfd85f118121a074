/**
 * `affiliatemonthly`: pays each partner what its referrals earned it in the month before the run date
 * (src/domain/affiliate/period.ts), as a payment on the partner's account (seed 000), through the holding area
 * (seed 001).
 *
 * Order: refuse self-referrals, reverse rewards of refunded payments, then for each page of partners in one
 * transaction: earn, clear what is due, apply available credit (ledger entries, and the credits the host adapter
 * then makes through the core: host/credit.ts).
 * Memory stays flat: partners are read a page at a time and everything per row is aggregated in SQL.
 * Safe to repeat and to run twice at once: a named database lock serialises runs, partner rows are locked per
 * page, and the ledger's unique key refuses a second entry for any source, rule, partner and period.
 * One partner's failure does not stop the others: a page that fails is paid again one partner per transaction,
 * and the partners that still fail are listed in the summary (the handler then exits non-zero).
 * The run's record (bmp_affiliate_run) says running, finished, failed or killed: a run still `running` when the
 * next one holds the lock died, and the next one marks it and reports what it had committed.
 */
import { withRollback, withTransaction } from '../db/transaction';
import { sweepSignups, type SweepSummary } from './sweep';
import type { Knex } from 'knex';
import { systemClock, type Clock } from '../domain/clock';
import { toMajorString, money } from '../domain/money';
import {
  isMonthOver,
  monthBounds,
  rewardMonthFor,
  toDate,
  toDateTime,
  type Month,
} from '../domain/affiliate/period';
import { refuseSelfReferrals, reverseRefundedRewards, type RefusedReferral } from './clawback';
import { earningsOf, expenseMarksOf } from './earning';
import { applyAvailableCredit, clearDueCredit, type CreditSlot } from './holding';
import { appendEntries } from '../db/affiliate/ledger';
import { loadPartnerContexts, loadRuleBook } from './rules';
import type { RunContext } from './run-context';
import { loadSettings } from './settings';
import { withNamedLock } from '../db/named-lock';
import type { Mgrctl } from '../contract/mgrctl';
import { payPendingCredits, type CreditReport } from '../host/credit';
import { partnerIdsAfter } from '../db/affiliate/partners';
import {
  appliedAbove,
  failRun,
  finishRun,
  insertRun,
  markKilledRuns,
  rewardedPartnersOfRun,
  totalsOfRuns,
  type RunTotalRow,
} from '../db/affiliate/runs';
import { lockPartners, refreshStatistics, type Db } from '../db/affiliate/sql';
import { T, toBigInt } from '../db/affiliate/tables';
import { ValidationError } from '../domain/errors';
import { MAX_PAYMENT_MINOR } from '../host/facts';
import { currencyCodes } from '../db/currency';

/** Partners per transaction; below MariaDB's 1000, where IN lists turn into derived tables. */
const DEFAULT_PAGE_SIZE = 500;
/**
 * Pages at once: two keep the database server's work on the month's expenses going while the other page writes its
 * ledger entries (the pool holds four connections).
 */
const DEFAULT_PAGE_CONCURRENCY = 2;

export interface MonthlyRunOptions {
  /** YYYY-MM-DD; the run pays for the calendar month before this date's month. Default: the day of `now`. */
  date?: string;
  /** Compute everything, print it, write nothing. */
  dryRun?: boolean;
  /** The moment the run is for (UTC). Default: the clock's now. */
  now?: Date;
  /** Where the run's start and finish times come from. Default: the system clock. */
  clock?: Clock;
  pageSize?: number;
  /** Pages paid at once, each in its own transaction on its own connection. */
  pageConcurrency?: number;
  /** How long to wait for another run to finish. */
  lockWaitSeconds?: number;
  /**
   * The core that credits the partners' accounts after the pages (host/credit.ts). Without it the run's credits
   * wait in the outbox for the next run or `billmgr-plugin credits pay`.
   */
  core?: { mgrctl: Mgrctl; concurrency: number };
}

/** Amounts per currency, in major units ("12.50"). */
export type Totals = Record<string, string>;

export interface MonthlyRunSummary {
  period: Month;
  runDate: string;
  dryRun: boolean;
  enabled: boolean;
  run?: number;
  /** Partners the run went through, less those that failed (failedPartners). */
  partners: number;
  /** Partners with a new reward entry (earned or reversed) in this run. */
  rewardedPartners: number;
  earned: Totals;
  reversed: Totals;
  /** Paid onto partners' balances, one payment per partner and currency. */
  applied: Totals;
  payments: number;
  refusedReferrals: RefusedReferral[];
  /** What the referral sweep bound before the run (not in a dry run). */
  sweep?: SweepSummary;
  /** The credits the core made after the pages, and those still waiting (not in a dry run, not without a core). */
  credits?: CreditReport;
  /** Partners this run could not pay, each with why; the others were paid. */
  failedPartners: PartnerFailure[];
  /** Earlier runs found unfinished (their process died), now marked killed, with what they had committed. */
  killedRuns: KilledRun[];
}

export interface PartnerFailure {
  affiliate: number;
  error: string;
}

export interface RunTotals {
  earned: Totals;
  reversed: Totals;
  applied: Totals;
  payments: number;
}

export interface KilledRun extends RunTotals {
  run: number;
  period: Month;
  startedAt: string;
}

export async function runAffiliateMonthly(
  db: Knex,
  options: MonthlyRunOptions = {},
): Promise<MonthlyRunSummary> {
  const clock = options.clock ?? systemClock;
  const now = options.now ?? clock.now();
  const runDate = options.date ?? toDate(now);
  const period = rewardMonthFor(runDate);
  const plan = {
    now,
    clock,
    runDate,
    period,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    pageConcurrency: options.pageConcurrency ?? DEFAULT_PAGE_CONCURRENCY,
    dryRun: options.dryRun === true,
  };
  // Paying a month before it is over would book part of it, and the ledger key would refuse the rest later.
  if (!plan.dryRun && !isMonthOver(period, now)) throw new MonthNotOverError(period);
  const waitSeconds = options.lockWaitSeconds ?? 600;
  return withNamedLock(db, { purpose: 'affiliatemonthly' }, waitSeconds, async () => {
    // Each run adds entries for every partner to the ledger (half of it or more while a program is young), and
    // InnoDB recounts a table's statistics only in the background: planned from stale ones, clearing and applying
    // scanned the whole ledger for every page of partners (a tenth of the run at 10,000 partners).
    await refreshStatistics(db, T.ledger);
    if (!plan.dryRun) {
      // Referrals the panel's event handlers missed are bound before the month's referrals are read.
      const sweep = await sweepSignups(db, now, waitSeconds);
      const summary = { ...(await runMonth(db, plan)), sweep };
      if (!options.core) return summary;
      const credits = await payPendingCredits(db, options.core.mgrctl, {
        concurrency: options.core.concurrency,
        now: () => now,
      });
      return { ...summary, credits };
    }
    // A dry run is the real run inside one transaction that is rolled back: it shows exactly what would be paid.
    return withRollback(db, (trx) => runMonth(trx, plan));
  });
}

export class MonthNotOverError extends Error {
  constructor(readonly period: Month) {
    super(`${period} is not over yet: a run pays only for a month that has ended (a dry run may look ahead)`);
    this.name = 'MonthNotOverError';
  }
}

interface RunPlan {
  now: Date;
  clock: Clock;
  runDate: string;
  period: Month;
  pageSize: number;
  pageConcurrency: number;
  dryRun: boolean;
}

async function runMonth(db: Db, plan: RunPlan): Promise<MonthlyRunSummary> {
  const settings = await loadSettings(db);
  if (!settings.enabled) return emptySummary(plan, false);
  const id = await insertRun(db, {
    period: plan.period,
    run_date: plan.runDate,
    started_at: toDateTime(plan.now),
    finished_at: null,
    summary: null,
  });
  try {
    const killedRuns = await killedRunsOf(db, await markKilledRuns(db, id, toDateTime(plan.now)));
    const run: RunContext = {
      id,
      period: plan.period,
      ...monthBounds(plan.period),
      today: toDate(plan.now),
      now: toDateTime(plan.now),
      settings,
      book: await loadRuleBook(db),
      currencies: await currencyCodes(db),
      ...(await expenseMarksOf(db, id, plan.period)),
    };
    const refusedReferrals = await withTransaction(db, (trx) => refuseSelfReferrals(trx, run));
    await withTransaction(db, (trx) => reverseRefundedRewards(trx, run));
    let partners = 0;
    const failedPartners: PartnerFailure[] = [];
    // A dry run's one transaction is one connection: its pages go one after another.
    const concurrency = (db as Knex.Transaction).isTransaction === true ? 1 : plan.pageConcurrency;
    await forEachPage(db, plan.pageSize, concurrency, async (page) => {
      const failed = await payPage(db, run, page);
      failedPartners.push(...failed);
      partners += page.length - failed.length;
    });
    failedPartners.sort((a, b) => a.affiliate - b.affiliate);
    const summary = {
      ...(await summarize(db, run, plan)),
      partners,
      refusedReferrals,
      failedPartners,
      killedRuns,
    };
    await finishRun(db, run.id, {
      finishedAt: toDateTime(plan.clock.now()),
      summary: JSON.stringify(summary),
      failedPartners: failedPartners.length,
    });
    return summary;
  } catch (err) {
    // The record says the run stopped and why; a run killed outright is found by the next one instead.
    // When even that write fails (the connection is gone), the record stays `running` and the next run marks it.
    await failRun(db, id, toDateTime(plan.clock.now()), messageOf(err)).catch(() => undefined);
    throw err;
  }
}

/**
 * Each page of partner ids, in order, given to `work` at most `concurrency` at a time: the pages are disjoint, and
 * each is paid in its own transaction on its own connection, so the database works on two pages at once.
 */
async function forEachPage(
  db: Db,
  pageSize: number,
  concurrency: number,
  work: (page: readonly number[]) => Promise<void>,
): Promise<void> {
  let after = 0;
  let reading: Promise<unknown> = Promise.resolve();
  // One reader at a time: each page starts after the last id of the page before it.
  const nextPage = (): Promise<number[]> => {
    const page = reading.then(async () => {
      const ids = await partnerIdsAfter(db, after, pageSize);
      after = ids[ids.length - 1] ?? after;
      return ids;
    });
    reading = page.catch(() => undefined);
    return page;
  };
  const worker = async (): Promise<void> => {
    for (let page = await nextPage(); page.length > 0; page = await nextPage()) await work(page);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/**
 * A page of partners in one transaction; when it fails, each of its partners in a transaction of its own, so that
 * one partner's bad row or oversized amount fails that partner alone. Returns the partners that failed.
 */
async function payPage(db: Db, run: RunContext, page: readonly number[]): Promise<PartnerFailure[]> {
  try {
    // Two pages at once: read committed takes no gap locks, so their inserts into the ledger and the outbox do not
    // wait on each other (the partners' own rows are locked); a deadlock left over is retried, the page reading
    // all it needs inside.
    await withTransaction(db, (trx) => payPartners(trx, run, page), {
      isolation: 'read committed',
      deadlockRetries: 3,
    });
    return [];
  } catch (err) {
    if (page.length === 1) return [{ affiliate: page[0] ?? 0, error: messageOf(err) }];
  }
  const failures: PartnerFailure[] = [];
  for (const affiliate of page) {
    try {
      await withTransaction(db, (trx) => payPartners(trx, run, [affiliate]));
    } catch (err) {
      failures.push({ affiliate, error: messageOf(err) });
    }
  }
  return failures;
}

/** One page of partners, all or nothing: their rewards, clearing, and payments. */
async function payPartners(db: Db, run: RunContext, page: readonly number[]): Promise<void> {
  await lockPartners(db, page);
  const partners = await loadPartnerContexts(db, run.book, page);
  await appendEntries(db, await earningsOf(db, run, partners));
  const slot: CreditSlot = {
    sourceKind: 'run',
    sourceId: 'partner',
    period: run.period,
    today: run.today,
    now: run.now,
    run: run.id,
  };
  await clearDueCredit(db, page, slot);
  if (!run.settings.autoApply) return;
  await applyAvailableCredit(db, page, slot);
  // A credit no host payment can hold would fail at the core on every run: the partner fails here instead.
  const oversized = await appliedAbove(db, run.id, page, MAX_PAYMENT_MINOR);
  if (oversized.length > 0) {
    const largest = toMajorString(money(MAX_PAYMENT_MINOR, 'XXX'));
    throw new ValidationError(
      'reward payment',
      oversized.map(
        (row) =>
          `partner ${row.affiliate}: ${toMajorString(money(toBigInt(row.amount_minor), row.currency))} ${row.currency} ` +
          `is more than one host payment holds (${largest})`,
      ),
    );
  }
}

async function summarize(db: Db, run: RunContext, plan: RunPlan): Promise<MonthlyRunSummary> {
  const totals = totalsOf(await totalsOfRuns(db, [run.id]));
  return {
    ...emptySummary(plan, true),
    ...totals,
    run: run.id,
    rewardedPartners: await rewardedPartnersOfRun(db, run.id),
  };
}

/** What each killed run had committed, from its ledger entries. */
async function killedRunsOf(
  db: Db,
  runs: ReadonlyArray<{ id: number; period: string; started_at: string }>,
): Promise<KilledRun[]> {
  const rows = await totalsOfRuns(
    db,
    runs.map((r) => r.id),
  );
  return runs.map((r) => ({
    run: r.id,
    period: r.period,
    startedAt: String(r.started_at),
    ...totalsOf(rows.filter((row) => Number(row.run) === r.id)),
  }));
}

/** Ledger sums of a run as the summary shows them: earned, reversed, applied (paid, as a positive amount). */
export function totalsOf(rows: readonly RunTotalRow[]): RunTotals {
  const totals: RunTotals = { earned: {}, reversed: {}, applied: {}, payments: 0 };
  for (const row of rows) {
    const amount = money(toBigInt(row.total), row.currency);
    if (row.kind === 'earned') totals.earned[row.currency] = toMajorString(amount);
    if (row.kind === 'reversed') totals.reversed[row.currency] = toMajorString(amount);
    if (row.kind === 'applied') {
      totals.applied[row.currency] = toMajorString(money(-amount.minor, amount.currency));
      totals.payments += Number(row.entries);
    }
  }
  return totals;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function emptySummary(plan: RunPlan, enabled: boolean): MonthlyRunSummary {
  return {
    period: plan.period,
    runDate: plan.runDate,
    dryRun: plan.dryRun,
    enabled,
    partners: 0,
    rewardedPartners: 0,
    earned: {},
    reversed: {},
    applied: {},
    payments: 0,
    refusedReferrals: [],
    failedPartners: [],
    killedRuns: [],
  };
}
