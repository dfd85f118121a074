/**
 * Row types of the affiliate tables (sql/migrations/20261123_0003_affiliate.ts), mirroring their columns, and
 * the conversions from what the drivers return: MySQL gives BIGINT and DECIMAL as strings, SQLite as numbers.
 */
import Decimal from 'decimal.js';
import { money, toMajorString, type Money } from '../../domain/money';
import { parseRule, type RewardRule, type RuleInput } from '../../domain/affiliate/rules';

export const T = {
  settings: 'bmp_affiliate_settings',
  program: 'bmp_affiliate_program',
  affiliate: 'bmp_affiliate',
  override: 'bmp_affiliate_override',
  groupRule: 'bmp_affiliate_group_rule',
  referral: 'bmp_affiliate_referral',
  visit: 'bmp_affiliate_visit',
  ledger: 'bmp_affiliate_ledger',
  withdrawal: 'bmp_affiliate_withdrawal',
  run: 'bmp_affiliate_run',
  refusal: 'bmp_affiliate_refusal',
  sweep: 'bmp_affiliate_sweep',
} as const;

/** The ledger's unique key: no source pays twice. */
export const LEDGER_KEY = [
  'kind',
  'source_kind',
  'source_id',
  'rule',
  'affiliate',
  'period',
  'currency',
] as const;

type Int = number;
type BigIntText = string | number;
type DecimalText = string | number;
type Flag = number | boolean;

export interface DbAffiliateSettingsRow {
  id: Int;
  enabled: Flag;
  default_percent: DecimalText | null;
  signup_bonus_minor: BigIntText;
  min_withdrawal_minor: BigIntText;
  currency: string;
  commission_delay_days: Int;
  support_department: Int | null;
  link_template: string | null;
  auto_apply: Flag;
  updated_at: string | null;
}

export interface DbAffiliateProgramRow {
  id: Int;
  project: Int;
  name: string;
  promocode_template: string;
  reward_percent: DecimalText | null;
  referral_months: Int;
  website_url: string;
  client_group: Int | null;
  forbidden_group: Int | null;
  active: Flag;
  created_at: string;
}

export interface DbAffiliateRow {
  id: Int;
  program: Int;
  account: Int;
  promocode: string;
  active: Flag;
  created_at: string;
}

export interface DbRuleColumns {
  rule_kind: string;
  percent: DecimalText | null;
  amount_minor: BigIntText | null;
  currency: string | null;
  nth_invoice: Int | null;
  occurrence: string | null;
  factor: DecimalText | null;
  min_active: Int | null;
}

export interface DbAffiliateOverrideRow extends DbRuleColumns {
  id: Int;
  affiliate: Int;
  updated_at: string;
}

export interface DbAffiliateGroupRuleRow extends DbRuleColumns {
  id: Int;
  program: Int | null;
  accountgroup: Int | null;
  account_type: string | null;
  created_at: string;
}

export type ReferralSource = 'link' | 'promocode' | 'manual';
export type ReferralStatus = 'active' | 'refused' | 'cancelled';

export interface DbAffiliateReferralRow {
  id: Int;
  affiliate: Int;
  account: Int;
  source: ReferralSource;
  bound_at: string;
  reward_until: string | null;
  status: ReferralStatus;
  status_reason: string | null;
  visit: BigIntText | null;
  assigned_by: string | null;
}

export interface DbAffiliateVisitRow {
  id: BigIntText;
  affiliate: Int;
  project: Int | null;
  visitor: string;
  referrer: string | null;
  page: string | null;
  ip: string | null;
  visited_at: string;
}

export interface DbAffiliateLedgerRow {
  id: BigIntText;
  kind: string;
  affiliate: Int;
  account: Int;
  referral: Int | null;
  source_kind: string;
  source_id: BigIntText;
  rule: string;
  rule_ref: string | null;
  period: string;
  currency: string;
  amount_minor: BigIntText;
  available_on: string | null;
  payment: Int | null;
  run: Int | null;
  created_at: string;
  note: string | null;
}

export interface DbAffiliateWithdrawalRow {
  id: Int;
  affiliate: Int;
  amount_minor: BigIntText;
  currency: string;
  status: 'requested' | 'paid' | 'rejected';
  department: Int | null;
  requested_at: string;
  decided_at: string | null;
  note: string | null;
}

export interface DbAffiliateRunRow {
  id: Int;
  period: string;
  run_date: string;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
}

export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (value === null || value === undefined) return 0n;
  throw new Error(`not a whole number: ${String(value)}`);
}

/**
 * An exact amount from a decimal(14,4) column or a SUM over one. MySQL answers exact text; SQLite answers a
 * float, brought back to the column's four places (a scale, not a money rounding).
 */
export function toExact(value: unknown): Decimal {
  if (value === null || value === undefined || value === '') return new Decimal(0);
  const exact = new Decimal(String(value));
  return typeof value === 'number' ? exact.toDecimalPlaces(4) : exact;
}

export function toFlag(value: Flag | null | undefined): boolean {
  return value === true || value === 1 || (value as unknown) === '1';
}

export function ledgerAmount(row: Pick<DbAffiliateLedgerRow, 'amount_minor' | 'currency'>): Money {
  return money(toBigInt(row.amount_minor), row.currency);
}

/** A rule from its columns; a row that no longer validates is reported by its owner, not used. */
export function ruleFromColumns(row: DbRuleColumns, subject: string): RewardRule {
  const amount =
    row.amount_minor === null
      ? undefined
      : toMajorString(money(toBigInt(row.amount_minor), row.currency ?? 'USD'));
  const input: RuleInput = {
    kind: row.rule_kind,
    ...(row.percent !== null ? { percent: new Decimal(String(row.percent)).toString() } : {}),
    ...(amount !== undefined ? { amount } : {}),
    ...(row.currency !== null ? { currency: row.currency } : {}),
    ...(row.nth_invoice !== null ? { nthInvoice: row.nth_invoice } : {}),
    ...(row.occurrence !== null ? { occurrence: row.occurrence } : {}),
    ...(row.factor !== null ? { factor: new Decimal(String(row.factor)).toString() } : {}),
    ...(row.min_active !== null ? { minActive: row.min_active } : {}),
  };
  return parseRule(input, subject);
}

export function ruleColumns(rule: RewardRule): DbRuleColumns {
  const columns: DbRuleColumns = {
    rule_kind: rule.kind,
    percent: null,
    amount_minor: null,
    currency: null,
    nth_invoice: null,
    occurrence: null,
    factor: null,
    min_active: null,
  };
  switch (rule.kind) {
    case 'percent_of_expenses':
      return { ...columns, percent: rule.percent };
    case 'fixed_after_invoice':
      return {
        ...columns,
        amount_minor: rule.amount.minor.toString(),
        currency: rule.amount.currency,
        nth_invoice: rule.nthInvoice,
        occurrence: rule.occurrence,
      };
    case 'percent_of_service':
      return { ...columns, percent: rule.percent, occurrence: rule.occurrence, nth_invoice: rule.nthInvoice };
    case 'first_month_multiple':
      return { ...columns, factor: rule.factor, nth_invoice: rule.nthInvoice };
    case 'free_month_own_plan':
    case 'free_month_capped':
      return { ...columns, nth_invoice: rule.nthInvoice };
    case 'active_referrals_discount':
      return {
        ...columns,
        amount_minor: rule.amount.minor.toString(),
        currency: rule.amount.currency,
        min_active: rule.minActive,
      };
  }
}
