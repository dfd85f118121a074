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
 */
import { withRollback, withTransaction } from '../db/transaction';
import { sweepSignups, type SweepSummary } from './sweep';
import type { Knex } from 'knex';
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
import { earningsOf } from './earning';
import { applyAvailableCredit, clearDueCredit, type CreditSlot } from './holding';
import { appendEntries } from '../db/affiliate/ledger';
import { loadPartnerContexts, loadRuleBook } from './rules';
import type { RunContext } from './run-context';
import { loadSettings } from './settings';
import { withNamedLock } from '../db/named-lock';
import type { Mgrctl } from '../contract/mgrctl';
import { payPendingCredits, type CreditReport } from '../host/credit';
import { partnerIdsAfter } from '../db/affiliate/partners';
import { finishRun, insertRun, rewardedPartnersOfRun, runTotals } from '../db/affiliate/runs';
import { lockPartners, refreshStatistics, type Db } from '../db/affiliate/sql';
import { T, toBigInt } from '../db/affiliate/tables';
import { currencyCodes } from '../db/currency';

/** Partners per transaction; below MariaDB's 1000, where IN lists turn into derived tables. */
const DEFAULT_PAGE_SIZE = 500;

export interface MonthlyRunOptions {
  /** YYYY-MM-DD; the run pays for the calendar month before this date's month. Default: the day of `now`. */
  date?: string;
  /** Compute everything, print it, write nothing. */
  dryRun?: boolean;
  /** The run's clock (UTC). */
  now?: Date;
  pageSize?: number;
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
}

export async function runAffiliateMonthly(
  db: Knex,
  options: MonthlyRunOptions = {},
): Promise<MonthlyRunSummary> {
  const now = options.now ?? new Date();
  const runDate = options.date ?? toDate(now);
  const period = rewardMonthFor(runDate);
  const plan = {
    now,
    runDate,
    period,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
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
  runDate: string;
  period: Month;
  pageSize: number;
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
  const run: RunContext = {
    id,
    period: plan.period,
    ...monthBounds(plan.period),
    today: toDate(plan.now),
    now: toDateTime(plan.now),
    settings,
    book: await loadRuleBook(db),
    currencies: await currencyCodes(db),
  };
  const refusedReferrals = await withTransaction(db, (trx) => refuseSelfReferrals(trx, run));
  await withTransaction(db, (trx) => reverseRefundedRewards(trx, run));
  let partners = 0;
  for (let after = 0; ;) {
    const page = await partnerIdsAfter(db, after, plan.pageSize);
    if (page.length === 0) break;
    await withTransaction(db, (trx) => payPartners(trx, run, page));
    partners += page.length;
    after = page[page.length - 1] ?? after;
  }
  const summary = { ...(await summarize(db, run, plan)), partners, refusedReferrals };
  await finishRun(db, run.id, toDateTime(new Date()), JSON.stringify(summary));
  return summary;
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
  if (run.settings.autoApply) await applyAvailableCredit(db, page, slot);
}

async function summarize(db: Db, run: RunContext, plan: RunPlan): Promise<MonthlyRunSummary> {
  const rows = await runTotals(db, run.id);
  const summary = emptySummary(plan, true);
  for (const row of rows) {
    const amount = money(toBigInt(row.total), row.currency);
    if (row.kind === 'earned') summary.earned[row.currency] = toMajorString(amount);
    if (row.kind === 'reversed') summary.reversed[row.currency] = toMajorString(amount);
    if (row.kind === 'applied') {
      summary.applied[row.currency] = toMajorString(money(-amount.minor, amount.currency));
      summary.payments += Number(row.entries);
    }
  }
  return { ...summary, run: run.id, rewardedPartners: await rewardedPartnersOfRun(db, run.id) };
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
  };
}
