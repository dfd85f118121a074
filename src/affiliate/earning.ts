/**
 * What partners earn in the month a run pays for, per rule trigger, computed set-based for a page of partners:
 * SQL gathers the facts (sums, paid invoices, prices) grouped per partner or referral, the domain's rule
 * functions turn them into Money. Every entry is keyed so that a re-run of the month earns nothing more.
 */
import Decimal from 'decimal.js';
import { money, type Money } from '../domain/money';
import { availableOn } from '../domain/affiliate/holding';
import { monthOf, monthsBetween } from '../domain/affiliate/period';
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
import type { RunContext } from './run-context';
import {
  billedReferralCounts,
  expensesByMonthOfReferrals,
  firstPaidInvoicesInMonth,
  monthExpensesOfReferrals,
  nthPaidInvoices,
} from '../db/affiliate/earning';
import { toExact } from '../db/affiliate/tables';
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

/** Seed 000: a percent of each referral's expenses of the month, inside its referral period; one entry per partner. */
async function earnOnExpenses(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<LedgerEntry[]> {
  const needing = partnersWith(partners, ['month_expenses']);
  if (needing.size === 0) return [];
  // The referral's account type matters only when some rule depends on it; the account join costs a lookup per
  // referral. Currencies are named from the run's map rather than joined per expense row.
  const byType = run.book.typeRules.length > 0;
  const rows = await monthExpensesOfReferrals(db, {
    affiliates: [...needing.keys()],
    start: run.start,
    end: run.end,
    byType,
  });
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
  return rewards.entries((partner, amount, refs) =>
    entry({
      // A month of net refunds gives a negative commission: it claws back what earlier months paid.
      kind: amount.minor < 0n ? 'reversed' : 'earned',
      affiliate: partner.affiliate,
      account: partner.account,
      sourceKind: 'expenses',
      sourceId: partner.affiliate,
      rule: 'percent_of_expenses',
      ruleRef: refs,
      period: run.period,
      amount,
      availableOn: availableOn(run.end, run.settings.commissionDelayDays),
      run: run.id,
      createdAt: run.now,
      note: `commission on referral expenses of ${run.period}`,
    }),
  );
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

/** A discount every month the partner has at least N active referrals: referrals billed in the month. */
async function earnOnActiveReferrals(
  db: Db,
  run: RunContext,
  partners: readonly PartnerContext[],
): Promise<LedgerEntry[]> {
  const needing = partnersWith(partners, ['active_referrals']);
  if (needing.size === 0) return [];
  const rows = await billedReferralCounts(db, {
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

  entries(
    make: (partner: PartnerContext, amount: Money, refs: string, note: string | undefined) => LedgerEntry,
  ): LedgerEntry[] {
    return [...this.sums.values()]
      .filter((sum) => sum.minor !== 0n)
      .map((sum) =>
        make(
          sum.partner,
          money(sum.minor, sum.currency),
          [...sum.refs].join(',').slice(0, 64),
          sum.notes.join('; ') || undefined,
        ),
      );
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
