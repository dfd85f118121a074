/**
 * Read-only views for admins: the partner overview, a partner's commissions with their sources, the referral log
 * of a client, the ledger, and the account search.
 */
import { money, type Money } from '../domain/money';
import { toDateTime } from '../domain/affiliate/period';
import { balancesOf, type PartnerBalance } from './holding';
import { noPartner } from './programs';
import { balanceRowsOfPartners } from '../db/affiliate/holding';
import { accountsNamedLike } from '../db/account';
import { listPartnerRows, partnersOfAccounts } from '../db/affiliate/partners';
import {
  chargedPerReferral,
  commissionRows,
  earningsPerReferral,
  expenseCommissionOf,
  latestLedgerRows,
  monthChargesPerReferral,
  partnerOverviewRows,
  referralsOfPartner,
} from '../db/affiliate/reports';
import { findPartner } from '../db/affiliate/partners';
import { toBigInt, toExact, toFlag, type ReferralSource, type ReferralStatus } from '../db/affiliate/tables';
import type { Db } from '../db/types';

export interface ReferralLogLine {
  referral: number;
  affiliate: number;
  account: number;
  name: string | null;
  source: ReferralSource;
  boundAt: string;
  rewardUntil: string | null;
  status: ReferralStatus;
  statusReason: string | null;
  /** When an admin took the referral from its partner: it earns nothing from then on. */
  unassignedAt: string | null;
  /** What the referral was charged inside its referral period, per currency ("123.4500"). */
  charged: Record<string, string>;
  /** Rewards booked on this referral (one-time and invoice rewards, and their reversals). */
  earnings: Money[];
}

export interface ReferralLog {
  account: number;
  partners: Array<{
    affiliate: number;
    program: number;
    promocode: string;
    /** The commission on the referrals' expenses, booked per partner and month. */
    expenseCommission: Money[];
    balances: PartnerBalance[];
    referrals: ReferralLogLine[];
  }>;
}

/** Seed 001's referral log: for a client, every referral it gave, with status and earnings. */
export async function referralLog(db: Db, account: number): Promise<ReferralLog> {
  const partners = await listPartnerRows(db, { account });
  const log: ReferralLog = { account, partners: [] };
  for (const partner of partners) {
    const referrals = await referralsOfPartner(db, partner.id);
    const ids = referrals.map((r) => Number(r.id));
    const earnings = ids.length === 0 ? [] : await earningsPerReferral(db, ids);
    const charged = ids.length === 0 ? [] : await chargedPerReferral(db, ids);
    const commission = await expenseCommissionOf(db, partner.id);
    log.partners.push({
      affiliate: partner.id,
      program: partner.program,
      promocode: partner.promocode,
      expenseCommission: commission.map((c) => money(toBigInt(c.total), c.currency)),
      balances: await balancesOf(db, partner.id),
      referrals: referrals.map((r) => ({
        referral: Number(r.id),
        affiliate: partner.id,
        account: Number(r.account),
        name: r.name,
        source: r.source,
        boundAt: String(r.bound_at),
        rewardUntil: r.reward_until === null ? null : String(r.reward_until),
        status: r.status,
        statusReason: r.status_reason,
        unassignedAt: r.unassigned_at === null ? null : String(r.unassigned_at),
        charged: Object.fromEntries(
          charged
            .filter((c) => Number(c.referral) === Number(r.id))
            .map((c) => [c.currency, toExact(c.total).toFixed(4)]),
        ),
        earnings: earnings
          .filter((e) => Number(e.referral) === Number(r.id))
          .map((e) => money(toBigInt(e.total), e.currency)),
      })),
    });
  }
  return log;
}

export interface LedgerLine {
  id: number;
  kind: string;
  affiliate: number;
  referral: number | null;
  source: string;
  rule: string;
  ruleRef: string | null;
  period: string;
  amount: Money;
  availableOn: string | null;
  payment: number | null;
  createdAt: string;
  note: string | null;
}

/** Ledger entries, newest last, of a partner or of every partner of an account. */
export async function ledgerLines(
  db: Db,
  filter: { affiliate?: number; account?: number; limit?: number },
): Promise<LedgerLine[]> {
  const rows = await latestLedgerRows(db, filter);
  return rows.reverse().map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    affiliate: row.affiliate,
    referral: row.referral,
    source: `${row.source_kind}:${row.source_id}`,
    rule: row.rule,
    ruleRef: row.rule_ref,
    period: row.period,
    amount: money(toBigInt(row.amount_minor), row.currency),
    availableOn: row.available_on === null ? null : String(row.available_on),
    payment: row.payment,
    createdAt: String(row.created_at),
    note: row.note,
  }));
}

export interface AccountMatch {
  id: number;
  name: string | null;
  email: string | null;
  /** The partner ids of the account, to fill the "Referral" field with. */
  affiliates: number[];
}

/** Seed 001's "Referral" field: accounts whose name holds `text`, with their partner ids. */
export async function searchAccounts(db: Db, text: string, limit = 20): Promise<AccountMatch[]> {
  const needle = text.trim().slice(0, 100);
  if (needle.length === 0) return [];
  const pattern = `%${needle.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  const rows = await accountsNamedLike(db, pattern, Math.max(1, Math.min(limit, 100)));
  const ids = rows.map((r) => Number(r.id));
  const affiliates = ids.length === 0 ? [] : await partnersOfAccounts(db, ids);
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    email: r.email,
    affiliates: affiliates.filter((a) => Number(a.account) === Number(r.id)).map((a) => Number(a.id)),
  }));
}

export interface PartnerOverview {
  affiliate: number;
  account: number;
  program: number;
  promocode: string;
  active: boolean;
  /** Counter visits: one per visitor and server-local day. */
  visits: number;
  /** Counter loads, the visits' `hits` summed. */
  hits: number;
  /** Accounts bound to the partner, however they were bound (refused and unassigned ones included). */
  signups: number;
  /** Referrals that earn now: not refused or unassigned, inside their period, with an active main service. */
  activeReferrals: number;
  /** Per currency: pending, available, paid out (the holding area). */
  balances: PartnerBalance[];
}

/** The admin's overview of one partner (`affiliate`) or of every partner, one line each. */
export async function partnerOverview(
  db: Db,
  filter: { affiliate?: number; now: Date },
): Promise<PartnerOverview[]> {
  const rows = await partnerOverviewRows(db, {
    ...(filter.affiliate !== undefined ? { affiliate: filter.affiliate } : {}),
    now: toDateTime(filter.now),
  });
  if (filter.affiliate !== undefined && rows.length === 0) throw noPartner(filter.affiliate);
  const balances =
    rows.length === 0
      ? []
      : await balanceRowsOfPartners(db, filter.affiliate !== undefined ? [filter.affiliate] : 'all');
  return rows.map((row) => ({
    affiliate: Number(row.affiliate),
    account: Number(row.account),
    program: Number(row.program),
    promocode: row.promocode,
    active: toFlag(row.active as number),
    visits: Number(row.visits),
    hits: Number(row.hits),
    signups: Number(row.signups),
    activeReferrals: Number(row.active_referrals),
    balances: balances
      .filter((b) => Number(b.affiliate) === Number(row.affiliate))
      .map((b) => ({
        currency: b.currency,
        pending: money(toBigInt(b.pending), b.currency),
        available: money(toBigInt(b.available), b.currency),
        paidOut: money(toBigInt(b.paid_out), b.currency),
      })),
  }));
}

/** Where a commission came from. */
export interface CommissionSource {
  /** expenses (a month's commission), referral (a paid invoice's reward), payment, affiliate, adjustment. */
  kind: string;
  id: number;
  /** The referral it was earned on, and the referred account. */
  referral: number | null;
  referredAccount: number | null;
  /** The referred payment that set it off (or that a reversal claws back). */
  payment: number | null;
  /** A month's commission: what each referral was charged that month, inside its referral period. */
  charges?: Array<{ referral: number; account: number; currency: string; charged: string }>;
}

export interface CommissionLine {
  id: number;
  kind: string;
  rule: string;
  /** Which rule paid it: program:1, override:3, group:2, settings ... */
  ruleRef: string | null;
  period: string;
  amount: Money;
  /** The monthly run that booked it; null for what an admin or a partner's joining booked. */
  run: number | null;
  availableOn: string | null;
  createdAt: string;
  note: string | null;
  source: CommissionSource;
}

/** One partner's commissions (earned and reversed entries) with their sources, oldest first. */
export async function partnerCommissions(
  db: Db,
  filter: { affiliate: number; period?: string },
): Promise<CommissionLine[]> {
  if (!(await findPartner(db, filter.affiliate))) throw noPartner(filter.affiliate);
  const rows = await commissionRows(db, filter);
  const months = [...new Set(rows.filter((r) => r.source_kind === 'expenses').map((r) => r.period))];
  const charges = months.length === 0 ? [] : await monthChargesPerReferral(db, filter.affiliate, months);
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    rule: row.rule,
    ruleRef: row.rule_ref,
    period: row.period,
    amount: money(toBigInt(row.amount_minor), row.currency),
    run: row.run === null ? null : Number(row.run),
    availableOn: row.available_on === null ? null : String(row.available_on),
    createdAt: String(row.created_at),
    note: row.note,
    source: {
      kind: row.source_kind,
      id: Number(row.source_id),
      referral: row.referral === null ? null : Number(row.referral),
      referredAccount: row.referred_account === null ? null : Number(row.referred_account),
      payment: row.payment === null ? null : Number(row.payment),
      ...(row.source_kind === 'expenses'
        ? {
            charges: charges
              .filter((c) => c.month === row.period && c.currency === row.currency)
              .map((c) => ({
                referral: Number(c.referral),
                account: Number(c.account),
                currency: c.currency,
                // The host's decimal(14,4) sum, exact: the percentage was taken of it before rounding once.
                charged: toExact(c.total).toFixed(4),
              })),
          }
        : {}),
    },
  }));
}
