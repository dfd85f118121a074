/**
 * What partners earn in the month a run pays for, per rule trigger, computed set-based for a page of partners:
 * SQL gathers the facts (sums, paid invoices, prices) grouped per partner or referral, the domain's rule
 * functions turn them into Money. Every entry is keyed so that a re-run of the month earns nothing more.
 */
import Decimal from 'decimal.js';
import { money, type Money } from '../domain/money';
import { availableOn } from '../domain/affiliate/holding';
import {
  addMonthsToMonth,
  monthBounds,
  monthOf,
  monthsBetween,
  type Month,
} from '../domain/affiliate/period';
import type { SourcedRule } from '../domain/affiliate/resolve';
import {
  rewardFor,
  triggerOf,
  type RewardBasis,
  type RewardRule,
  type RuleTrigger,
} from '../domain/affiliate/rules';
import { firstServiceOf, planOf, servicePrices, type ServicePrice } from './host-facts';
import { entry, type LedgerEntry } from '../db/affiliate/ledger';
import type { PartnerContext } from './rules';
import type { ExpenseMarks, RunContext } from './run-context';
import {
  activeReferralCounts,
  bookedExpenseCommissions,
  expenseMarksOfRuns,
  expensesByMonthOfReferrals,
  firstPaidInvoicesInMonth,
  markExpenseHighWater,
  monthExpensesOfReferrals,
  newExpensesByMonth,
  nthPaidInvoices,
} from '../db/affiliate/earning';
import { toBigInt, toExact } from '../db/affiliate/tables';
import type { Db } from '../db/types';

/** The referral account types a partner's rules are resolved for; null stands for any other type. */
const REFERRAL_TYPES = ['business', 'residential', null] as const;

export async function earningsOf(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<LedgerEntry[]> {
  const earning = partners.filter((p) => p.earns);
  return [
    ...(await earnOnExpenses(db, run, earning)),
    ...(await earnOnInvoices(db, run, earning)),
    ...(await earnOnActiveReferrals(db, run, earning)),
  ];
}

/**
 * How far back a run looks for late expenses: an expense booked into one of the LATE_EXPENSE_MONTHS months before
 * the month a run pays for, after every run that paid that month, is paid by this run (older ones are not).
 */
export const LATE_EXPENSE_MONTHS = 12;

/**
 * Marks the run with the expenses it sees and finds the late ones: an expense row above the marks of every run
 * that paid its month (or looked back over it) was booked after they ran. Once per run, before the pages; one id
 * range over the rows booked since the earliest of those marks.
 */
export async function expenseMarksOf(db: Db, runId: number, period: Month): Promise<ExpenseMarks> {
  const expenseHighWater = await markExpenseHighWater(db, runId);
  const marks = new Map(
    (await expenseMarksOfRuns(db, runId)).map((r) => [r.period, BigInt(String(r.high_water))]),
  );
  // A month was seen up to the highest mark of the runs that paid it or looked back over it.
  const seenUpTo = new Map<Month, bigint>();
  for (let back = 1; back <= LATE_EXPENSE_MONTHS; back += 1) {
    const month = addMonthsToMonth(period, -back);
    if (!marks.has(month)) continue;
    let seen = 0n;
    for (const [paid, mark] of marks) {
      const ahead = monthsBetween(month, paid);
      if (ahead >= 0 && ahead <= LATE_EXPENSE_MONTHS && mark > seen) seen = mark;
    }
    seenUpTo.set(month, seen);
  }
  const lateMonths = new Map<number, Month[]>();
  if (seenUpTo.size === 0) return { expenseHighWater, lateMonths };
  const rows = await newExpensesByMonth(db, {
    after: [...seenUpTo.values()].reduce((a, b) => (b < a ? b : a)),
    upTo: expenseHighWater,
    start: monthBounds(addMonthsToMonth(period, -LATE_EXPENSE_MONTHS)).start,
    end: monthBounds(period).start,
  });
  for (const row of rows) {
    const seen = seenUpTo.get(row.month);
    if (seen === undefined || BigInt(String(row.last_expense)) <= seen) continue;
    const affiliate = Number(row.affiliate);
    lateMonths.set(affiliate, [...(lateMonths.get(affiliate) ?? []), row.month]);
  }
  return { expenseHighWater, lateMonths };
}

/**
 * Seed 000: a percent of each referral's expenses of the month, inside its referral period; one entry per partner,
 * month and currency, rounded once on the month's total. The run's own month and the partner's late months are
 * computed alike: the month's commission now, less what is booked for it already, so a re-run pays nothing more
 * and a late expense pays only its own share. A later entry of a month is keyed by the run's expense mark.
 */
async function earnOnExpenses(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<LedgerEntry[]> {
  const needing = partnersWith(partners, ['month_expenses']);
  if (needing.size === 0) return [];
  const months = new Map<Month, number[]>([[run.period, [...needing.keys()]]]);
  for (const affiliate of needing.keys()) {
    for (const month of run.lateMonths.get(affiliate) ?? [])
      months.set(month, [...(months.get(month) ?? []), affiliate]);
  }
  const booked = new Map<string, bigint>();
  for (const row of await bookedExpenseCommissions(db, {
    affiliates: [...needing.keys()],
    periods: [...months.keys()],
  }))
    booked.set(`${row.affiliate}|${row.period}|${row.currency}`, toBigInt(row.total));
  const entries: LedgerEntry[] = [];
  for (const [month, affiliates] of months) {
    const rewards = await monthCommissions(db, run, month, affiliates, needing);
    entries.push(
      ...rewards.entries((partner, amount, refs) => {
        const before = booked.get(`${partner.affiliate}|${month}|${amount.currency}`);
        const due = amount.minor - (before ?? 0n);
        if (due <= 0n) return undefined;
        const late = month !== run.period;
        return entry({
          kind: 'earned',
          affiliate: partner.affiliate,
          account: partner.account,
          sourceKind: 'expenses',
          sourceId: partner.affiliate,
          rule: 'percent_of_expenses',
          ruleRef: refs,
          period: month,
          amount: money(due, amount.currency),
          availableOn: availableOn(run.end, run.settings.commissionDelayDays),
          run: run.id,
          createdAt: run.now,
          note: late
            ? `commission on late referral expenses of ${month}, paid in the run for ${run.period}`
            : `commission on referral expenses of ${month}`,
          batch: before === undefined ? 0n : run.expenseHighWater,
        });
      }),
    );
  }
  return entries;
}

/** The partners' percent-of-expenses commissions on the whole of `month`, one per partner and currency. */
async function monthCommissions(
  db: Db,
  run: RunContext,
  month: Month,
  affiliates: readonly number[],
  needing: ReadonlyMap<number, PartnerContext>,
): Promise<Rewards> {
  // The referral's account type matters only when some rule depends on it; the account join costs a lookup per
  // referral. Currencies are named from the run's map rather than joined per expense row.
  const byType = run.book.typeRules.length > 0;
  const rows = await monthExpensesOfReferrals(db, { affiliates, ...monthBounds(month), byType });
  // Sum the exact totals per rule before computing, so that each rule rounds once.
  const totals = new Map<
    string,
    { partner: PartnerContext; sourced: SourcedRule; currency: string; total: Decimal }
  >();
  for (const row of rows) {
    const partner = needing.get(Number(row.affiliate));
    const sourced = partner?.ruleFor(row.account_type);
    const currency = run.currencies.get(Number(row.currency));
    if (!partner || !sourced || !currency || triggerOf(sourced.rule) !== 'month_expenses') continue;
    const key = `${partner.affiliate}|${sourced.ref}|${currency}`;
    const bucket = totals.get(key) ?? { partner, sourced, currency, total: new Decimal(0) };
    bucket.total = bucket.total.add(toExact(row.total));
    totals.set(key, bucket);
  }
  const rewards = new Rewards();
  for (const { partner, sourced, currency, total } of totals.values()) {
    const reward = rewardFor(sourced.rule, { monthExpenses: { amount: total, currency } });
    if (reward) rewards.add(partner, sourced.ref, reward);
  }
  return rewards;
}

interface InvoicePick {
  partner: PartnerContext;
  sourced: SourcedRule;
  referral: number;
  referredAccount: number;
  payment: number;
  paydate: string;
  /** 'once' for one-time rewards, else the month paid for. */
  period: string;
}

/** Rewards set off by a referral's paid invoices: the Nth one (one-time), or one in the month (monthly, yearly). */
async function earnOnInvoices(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<LedgerEntry[]> {
  const picks = [
    ...(await nthInvoicePicks(db, run, partners)),
    ...(await invoiceInMonthPicks(db, run, partners)),
  ];
  if (picks.length === 0) return [];
  const kinds = new Set(picks.map((p) => p.sourced.rule.kind));
  const services =
    kinds.has('percent_of_service') || kinds.has('free_month_capped')
      ? await servicePrices(db, unique(picks.map((p) => p.referredAccount)), { activeOnly: false })
      : [];
  const plans =
    kinds.has('free_month_own_plan') || kinds.has('free_month_capped')
      ? await servicePrices(db, unique(picks.map((p) => p.partner.account)), { activeOnly: true })
      : [];
  const firstMonths = kinds.has('first_month_multiple')
    ? await firstMonthExpenses(db, run, unique(picks.map((p) => p.referral)))
    : new Map<number, RewardBasis['firstMonthExpenses']>();
  const entries: LedgerEntry[] = [];
  for (const pick of picks) {
    const basis = basisOf(pick, services, plans, firstMonths);
    const reward = rewardFor(pick.sourced.rule, basis);
    if (!reward || reward.minor <= 0n) continue;
    entries.push(
      entry({
        kind: 'earned',
        affiliate: pick.partner.affiliate,
        account: pick.partner.account,
        referral: pick.referral,
        sourceKind: 'referral',
        sourceId: pick.referral,
        rule: pick.sourced.rule.kind,
        ruleRef: pick.sourced.ref,
        period: pick.period,
        amount: reward,
        availableOn: availableOn(pick.paydate, run.settings.commissionDelayDays),
        payment: pick.payment,
        run: run.id,
        createdAt: run.now,
        note: `referral ${pick.referral}, paid invoice ${pick.payment}`,
      }),
    );
  }
  return entries;
}

function basisOf(
  pick: InvoicePick,
  services: readonly ServicePrice[],
  plans: readonly ServicePrice[],
  firstMonths: ReadonlyMap<number, RewardBasis['firstMonthExpenses']>,
): RewardBasis {
  const service = firstServiceOf(services, pick.referredAccount);
  const plan = planOf(plans, pick.partner.account);
  const firstMonth = firstMonths.get(pick.referral);
  return {
    ...(service ? { servicePrice: service.monthly, serviceYearPrice: service.yearly } : {}),
    ...(plan ? { partnerPlanPrice: plan.monthly } : {}),
    ...(firstMonth ? { firstMonthExpenses: firstMonth } : {}),
  };
}

/**
 * One-time rewards: the referral's Nth paid invoice (counted from binding, inside the referral period, paid
 * before the month's end) sets them off. A referral that already earned a one-time reward is left out, whatever
 * the rule is now: changing a partner's rule never pays a referral twice.
 */
async function nthInvoicePicks(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<InvoicePick[]> {
  const needing = partnersWith(partners, ['nth_invoice']);
  if (needing.size === 0) return [];
  let maxNth = 1;
  for (const partner of needing.values()) {
    for (const sourced of rulesOf(partner, ['nth_invoice'])) maxNth = Math.max(maxNth, nthOf(sourced.rule));
  }
  const rows = await nthPaidInvoices(db, { affiliates: [...needing.keys()], end: run.end, maxNth });
  const picks: InvoicePick[] = [];
  for (const row of rows) {
    const partner = needing.get(Number(row.affiliate));
    const sourced = partner?.ruleFor(row.account_type);
    if (!partner || !sourced || triggerOf(sourced.rule) !== 'nth_invoice') continue;
    if (Number(row.nth) !== nthOf(sourced.rule)) continue;
    picks.push({
      partner,
      sourced,
      referral: Number(row.referral),
      referredAccount: Number(row.account),
      payment: Number(row.payment),
      paydate: String(row.paydate),
      period: 'once',
    });
  }
  return picks;
}

/** Monthly and yearly rewards: a paid invoice of the month (yearly: in the anniversary month of the first). */
async function invoiceInMonthPicks(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<InvoicePick[]> {
  const needing = partnersWith(partners, ['invoice_in_month', 'invoice_in_year']);
  if (needing.size === 0) return [];
  const rows = await firstPaidInvoicesInMonth(db, {
    affiliates: [...needing.keys()],
    start: run.start,
    end: run.end,
  });
  const picks: InvoicePick[] = [];
  for (const row of rows) {
    const partner = needing.get(Number(row.affiliate));
    const sourced = partner?.ruleFor(row.account_type);
    if (!partner || !sourced) continue;
    const trigger = triggerOf(sourced.rule);
    const anniversary =
      row.first_paid !== null && monthsBetween(monthOf(String(row.first_paid)), run.period) % 12 === 0;
    if (trigger !== 'invoice_in_month' && !(trigger === 'invoice_in_year' && anniversary)) continue;
    picks.push({
      partner,
      sourced,
      referral: Number(row.referral),
      referredAccount: Number(row.account),
      payment: Number(row.payment),
      paydate: String(row.paydate),
      period: run.period,
    });
  }
  return picks;
}

/** "The referral's first month": what it was charged in the calendar month of its first expense after binding. */
async function firstMonthExpenses(
  db: Db,
  run: RunContext,
  referrals: readonly number[],
): Promise<Map<number, RewardBasis['firstMonthExpenses']>> {
  const rows = await expensesByMonthOfReferrals(db, referrals, run.end);
  const firstMonths = new Map<number, RewardBasis['firstMonthExpenses']>();
  for (const row of rows) {
    const referral = Number(row.referral);
    if (!firstMonths.has(referral))
      firstMonths.set(referral, { amount: toExact(row.total), currency: row.currency });
  }
  return firstMonths;
}

/** A discount every month the partner has at least N active referrals (src/domain/affiliate/definitions.ts). */
async function earnOnActiveReferrals(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<LedgerEntry[]> {
  const needing = partnersWith(partners, ['active_referrals']);
  if (needing.size === 0) return [];
  const rows = await activeReferralCounts(db, {
    affiliates: [...needing.keys()],
    start: run.start,
    end: run.end,
  });
  const counts = new Map<string, { partner: PartnerContext; sourced: SourcedRule; active: number }>();
  for (const row of rows) {
    const partner = needing.get(Number(row.affiliate));
    const sourced = partner?.ruleFor(row.account_type);
    if (!partner || !sourced || triggerOf(sourced.rule) !== 'active_referrals') continue;
    const key = `${partner.affiliate}|${sourced.ref}`;
    const count = counts.get(key) ?? { partner, sourced, active: 0 };
    count.active += Number(row.active);
    counts.set(key, count);
  }
  const rewards = new Rewards();
  for (const { partner, sourced, active } of counts.values()) {
    const reward = rewardFor(sourced.rule, { activeReferrals: active });
    if (reward) rewards.add(partner, sourced.ref, reward, `${active} active referrals in ${run.period}`);
  }
  return rewards.entries((partner, amount, refs, note) =>
    entry({
      kind: 'earned',
      affiliate: partner.affiliate,
      account: partner.account,
      sourceKind: 'affiliate',
      sourceId: partner.affiliate,
      rule: 'active_referrals_discount',
      ruleRef: refs,
      period: run.period,
      amount,
      availableOn: availableOn(run.end, run.settings.commissionDelayDays),
      run: run.id,
      createdAt: run.now,
      note,
    }),
  );
}

/** Rewards summed per partner and currency: one ledger entry each, naming every rule that contributed. */
class Rewards {
  private readonly sums = new Map<
    string,
    { partner: PartnerContext; minor: bigint; currency: string; refs: Set<string>; notes: string[] }
  >();

  add(partner: PartnerContext, ref: string, reward: Money, note?: string): void {
    const key = `${partner.affiliate}|${reward.currency}`;
    const sum = this.sums.get(key) ?? {
      partner,
      minor: 0n,
      currency: reward.currency,
      refs: new Set(),
      notes: [],
    };
    sum.minor += reward.minor;
    sum.refs.add(ref);
    if (note) sum.notes.push(note);
    this.sums.set(key, sum);
  }

  /** One entry per sum that is not zero; `make` may leave one out by answering undefined. */
  entries(
    make: (
      partner: PartnerContext,
      amount: Money,
      refs: string,
      note: string | undefined,
    ) => LedgerEntry | undefined,
  ): LedgerEntry[] {
    return [...this.sums.values()]
      .filter((sum) => sum.minor !== 0n)
      .flatMap((sum) => {
        const made = make(
          sum.partner,
          money(sum.minor, sum.currency),
          [...sum.refs].join(',').slice(0, 64),
          sum.notes.join('; ') || undefined,
        );
        return made ? [made] : [];
      });
  }
}

function rulesOf(partner: PartnerContext, triggers: readonly RuleTrigger[]): SourcedRule[] {
  const rules = new Map<string, SourcedRule>();
  for (const type of REFERRAL_TYPES) {
    const sourced = partner.ruleFor(type);
    if (sourced && triggers.includes(triggerOf(sourced.rule))) rules.set(sourced.ref, sourced);
  }
  return [...rules.values()];
}

function partnersWith(
  partners: readonly PartnerContext[],
  triggers: readonly RuleTrigger[],
): Map<number, PartnerContext> {
  return new Map(partners.filter((p) => rulesOf(p, triggers).length > 0).map((p) => [p.affiliate, p]));
}

function nthOf(rule: RewardRule): number {
  return 'nthInvoice' in rule ? rule.nthInvoice : 1;
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)];
}
