/** Read-only views for admins: the referral log of a client, the ledger, and the account search. */
import { money, type Money } from '../domain/money';
import { balancesOf, type PartnerBalance } from './holding';
import { accountsNamedLike } from '../db/account';
import { listPartnerRows, partnersOfAccounts } from '../db/affiliate/partners';
import {
  chargedPerReferral,
  earningsPerReferral,
  expenseCommissionOf,
  latestLedgerRows,
  referralsOfPartner,
} from '../db/affiliate/reports';
import { toBigInt, toExact, type ReferralSource, type ReferralStatus } from '../db/affiliate/tables';
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
