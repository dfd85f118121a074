/**
 * Reward rules: what a partner earns for a referral (seed 000's percent of expenses and the kinds providers ask
 * for in seed 001). Each kind is a pure function from the facts the monthly run gathers to Money, rounded once
 * by `roundToMinor`; a rule whose facts are missing earns nothing (undefined), it never guesses.
 */
import Decimal from 'decimal.js';
import { compare, money, parseMoney, percentOf, roundToMinor, toMajorString, type Money } from '../money';
import {
  isCurrencyCode,
  isFactor,
  isPercent,
  isPositiveAmount,
  isPositiveWhole,
  Problems,
} from './validation';

export const RULE_KINDS = [
  'percent_of_expenses',
  'fixed_after_invoice',
  'percent_of_service',
  'first_month_multiple',
  'free_month_own_plan',
  'free_month_capped',
  'active_referrals_discount',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const OCCURRENCES = ['one_time', 'monthly', 'yearly'] as const;
export type Occurrence = (typeof OCCURRENCES)[number];

export type RewardRule =
  /** Seed 000: `percent` % of everything the referral was charged in the month (recurring). */
  | { kind: 'percent_of_expenses'; percent: string }
  /** A fixed credit once the referral has paid its Nth invoice; or every month with a paid invoice. */
  | { kind: 'fixed_after_invoice'; amount: Money; nthInvoice: number; occurrence: 'one_time' | 'monthly' }
  /** `percent` % of the referred service's price: once (at the Nth paid invoice), monthly or yearly. */
  | { kind: 'percent_of_service'; percent: string; occurrence: Occurrence; nthInvoice: number }
  /** `factor` × the referral's first month (what it was charged in its first billed month), once. */
  | { kind: 'first_month_multiple'; factor: string; nthInvoice: number }
  /** One month of the partner's own plan, once. */
  | { kind: 'free_month_own_plan'; nthInvoice: number }
  /** One month of the partner's own plan, worth at most one month of the new customer's plan, once. */
  | { kind: 'free_month_capped'; nthInvoice: number }
  /** `amount` every month in which the partner has at least `minActive` active referrals. */
  | { kind: 'active_referrals_discount'; minActive: number; amount: Money };

/** A rule as an admin types it or a table row holds it; amounts in major units ("20" is $20). */
export interface RuleInput {
  kind?: string;
  percent?: string;
  amount?: string;
  currency?: string;
  nthInvoice?: number;
  occurrence?: string;
  factor?: string;
  minActive?: number;
}

/** What sets a rule off: the run gathers different facts for each. */
export type RuleTrigger =
  'month_expenses' | 'nth_invoice' | 'invoice_in_month' | 'invoice_in_year' | 'active_referrals';

export function triggerOf(rule: RewardRule): RuleTrigger {
  switch (rule.kind) {
    case 'percent_of_expenses':
      return 'month_expenses';
    case 'active_referrals_discount':
      return 'active_referrals';
    case 'fixed_after_invoice':
      return rule.occurrence === 'monthly' ? 'invoice_in_month' : 'nth_invoice';
    case 'percent_of_service':
      return rule.occurrence === 'monthly'
        ? 'invoice_in_month'
        : rule.occurrence === 'yearly'
          ? 'invoice_in_year'
          : 'nth_invoice';
    default:
      return 'nth_invoice';
  }
}

export function isOneTime(rule: RewardRule): boolean {
  return triggerOf(rule) === 'nth_invoice';
}

/** Validates a rule input, collecting every problem, and returns the rule. */
export function parseRule(input: RuleInput, subject = 'reward rule'): RewardRule {
  const problems = new Problems();
  const kind = input.kind as RuleKind | undefined;
  if (kind === undefined || !(RULE_KINDS as readonly string[]).includes(kind)) {
    problems.add(`kind must be one of ${RULE_KINDS.join(', ')}, got '${input.kind ?? ''}'`);
    problems.throwIfAny(subject);
  }
  const nthInvoice = input.nthInvoice ?? 1;
  const checkNth = (): void =>
    problems.check(isPositiveWhole(nthInvoice), 'the invoice number must be 1 or more');
  const checkPercent = (): void =>
    problems.check(
      isPercent(input.percent),
      `percent must be more than 0 and at most 100, got '${input.percent ?? ''}'`,
    );
  const amount = (): Money => {
    problems.check(
      isPositiveAmount(input.amount),
      `amount must be a positive amount, got '${input.amount ?? ''}'`,
    );
    problems.check(
      isCurrencyCode(input.currency),
      `currency must be a 3-letter code, got '${input.currency ?? ''}'`,
    );
    return isPositiveAmount(input.amount) && isCurrencyCode(input.currency)
      ? parseMoney(input.amount, input.currency)
      : money(0n, 'XXX');
  };
  let rule: RewardRule;
  switch (kind) {
    case 'percent_of_expenses':
      checkPercent();
      rule = { kind, percent: normalDecimal(input.percent) };
      break;
    case 'fixed_after_invoice': {
      const occurrence = input.occurrence ?? 'one_time';
      problems.check(
        occurrence === 'one_time' || occurrence === 'monthly',
        `occurrence must be one_time or monthly`,
      );
      checkNth();
      problems.check(
        occurrence !== 'monthly' || nthInvoice === 1,
        'a monthly credit cannot wait for a later invoice',
      );
      rule = {
        kind,
        amount: amount(),
        nthInvoice,
        occurrence: occurrence === 'monthly' ? 'monthly' : 'one_time',
      };
      break;
    }
    case 'percent_of_service': {
      const occurrence = (input.occurrence ?? 'one_time') as Occurrence;
      problems.check(OCCURRENCES.includes(occurrence), `occurrence must be one of ${OCCURRENCES.join(', ')}`);
      checkPercent();
      checkNth();
      problems.check(
        occurrence === 'one_time' || nthInvoice === 1,
        'only a one-time reward can wait for a later invoice',
      );
      rule = { kind, percent: normalDecimal(input.percent), occurrence, nthInvoice };
      break;
    }
    case 'first_month_multiple':
      problems.check(
        isFactor(input.factor),
        `factor must be a positive number such as 0.5, 1 or 1.5 (six decimals at most), got '${input.factor ?? ''}'`,
      );
      checkNth();
      rule = { kind, factor: normalDecimal(input.factor), nthInvoice };
      break;
    case 'free_month_own_plan':
    case 'free_month_capped':
      checkNth();
      rule = { kind, nthInvoice };
      break;
    case 'active_referrals_discount':
      problems.check(isPositiveWhole(input.minActive), 'the number of active referrals must be 1 or more');
      rule = { kind, minActive: input.minActive ?? 0, amount: amount() };
      break;
    default:
      throw new Error('unreachable');
  }
  problems.throwIfAny(subject);
  return rule;
}

/** The inverse of `parseRule`, for storing and printing. */
export function ruleToInput(rule: RewardRule): RuleInput {
  switch (rule.kind) {
    case 'percent_of_expenses':
      return { kind: rule.kind, percent: rule.percent };
    case 'fixed_after_invoice':
      return {
        kind: rule.kind,
        ...moneyInput(rule.amount),
        nthInvoice: rule.nthInvoice,
        occurrence: rule.occurrence,
      };
    case 'percent_of_service':
      return {
        kind: rule.kind,
        percent: rule.percent,
        occurrence: rule.occurrence,
        nthInvoice: rule.nthInvoice,
      };
    case 'first_month_multiple':
      return { kind: rule.kind, factor: rule.factor, nthInvoice: rule.nthInvoice };
    case 'free_month_own_plan':
    case 'free_month_capped':
      return { kind: rule.kind, nthInvoice: rule.nthInvoice };
    case 'active_referrals_discount':
      return { kind: rule.kind, minActive: rule.minActive, ...moneyInput(rule.amount) };
  }
}

/** A short readable description: "10% of referral expenses", "$20 after the 1st paid invoice". */
export function describeRule(rule: RewardRule): string {
  switch (rule.kind) {
    case 'percent_of_expenses':
      return `${rule.percent}% of the referral's expenses, monthly`;
    case 'fixed_after_invoice':
      return rule.occurrence === 'monthly'
        ? `${show(rule.amount)} every month the referral pays an invoice`
        : `${show(rule.amount)} once, after the referral's paid invoice #${rule.nthInvoice}`;
    case 'percent_of_service':
      return `${rule.percent}% of the referred service's price, ${rule.occurrence.replace('_', '-')}`;
    case 'first_month_multiple':
      return `${rule.factor}x the referral's first month, once`;
    case 'free_month_own_plan':
      return `a free month of the partner's own plan, once`;
    case 'free_month_capped':
      return `a free month of the partner's plan, at most the new customer's plan, once`;
    case 'active_referrals_discount':
      return `${show(rule.amount)} every month with at least ${rule.minActive} active referrals`;
  }
}

/** An exact, not yet rounded amount in major units, as a SUM over decimal(14,4) columns gives it. */
export interface ExactAmount {
  readonly amount: Decimal;
  readonly currency: string;
}

/** The facts a rule is computed from; the run fills those its trigger needs. */
export interface RewardBasis {
  /** What the referral was charged in the month (percent_of_expenses). */
  monthExpenses?: ExactAmount;
  /** One month of the referred service (percent_of_service, free_month_capped). */
  servicePrice?: Money;
  /** One year of the referred service (percent_of_service yearly). */
  serviceYearPrice?: Money;
  /** What the referral was charged in its first billed month (first_month_multiple). */
  firstMonthExpenses?: ExactAmount;
  /** One month of the partner's own plan (free_month_*). */
  partnerPlanPrice?: Money;
  /** Referrals of the partner active in the month (active_referrals_discount). */
  activeReferrals?: number;
}

/** The reward a rule gives on `basis`; undefined when the rule does not apply or a needed fact is missing. */
export function rewardFor(rule: RewardRule, basis: RewardBasis): Money | undefined {
  switch (rule.kind) {
    case 'percent_of_expenses':
      return basis.monthExpenses && commissionOnExpenses(basis.monthExpenses, rule.percent);
    case 'fixed_after_invoice':
      return rule.amount;
    case 'percent_of_service': {
      const price = rule.occurrence === 'yearly' ? basis.serviceYearPrice : basis.servicePrice;
      return price && percentOf(price, rule.percent);
    }
    case 'first_month_multiple':
      return basis.firstMonthExpenses && multipleOfFirstMonth(basis.firstMonthExpenses, rule.factor);
    case 'free_month_own_plan':
      return basis.partnerPlanPrice;
    case 'free_month_capped':
      return freeMonthCapped(basis.partnerPlanPrice, basis.servicePrice);
    case 'active_referrals_discount':
      return basis.activeReferrals !== undefined && basis.activeReferrals >= rule.minActive
        ? rule.amount
        : undefined;
    default:
      // An unknown kind (a newer row read by older code) earns nothing: fail closed.
      return undefined;
  }
}

/** `percent` % of an exact total, rounded once. */
export function commissionOnExpenses(total: ExactAmount, percent: string): Money {
  return money(roundToMinor(total.amount.mul(percent).div(100)), total.currency);
}

export function multipleOfFirstMonth(firstMonth: ExactAmount, factor: string): Money {
  return money(roundToMinor(firstMonth.amount.mul(factor)), firstMonth.currency);
}

/** "A free month of equal or lesser value of the new customer's plan": the smaller of the two plans. */
export function freeMonthCapped(
  partnerPlan: Money | undefined,
  newCustomerPlan: Money | undefined,
): Money | undefined {
  if (!partnerPlan || !newCustomerPlan) return undefined;
  // Plans in different currencies cannot be compared without a rate: no reward rather than a guess.
  if (partnerPlan.currency !== newCustomerPlan.currency) return undefined;
  return compare(partnerPlan, newCustomerPlan) <= 0 ? partnerPlan : newCustomerPlan;
}

function normalDecimal(text: string | undefined): string {
  return text === undefined || !/^\d+(\.\d+)?$/.test(text) ? '0' : new Decimal(text).toString();
}

function moneyInput(amount: Money): { amount: string; currency: string } {
  return { amount: toMajorString(amount), currency: amount.currency };
}

function show(amount: Money): string {
  return `${toMajorString(amount)} ${amount.currency}`;
}
