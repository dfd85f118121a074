/**
 * Run-wide checks before anything is paid: referrals that turned out to be self-referrals are refused and
 * reported, and rewards of refunded or cancelled referred payments are reversed, even after they cleared.
 */
import Decimal from 'decimal.js';
import { negate } from '../domain/money';
import { selfReferralReason, type SelfReferralReason } from '../domain/affiliate/attribution';
import { rewardFor, triggerOf } from '../domain/affiliate/rules';
import { PAYMENT_STATUS } from '../db/payment';
import { identitiesOf } from './host-facts';
import { appendEntries, entry, LEDGER_COLUMNS, type LedgerEntry } from '../db/affiliate/ledger';
import { loadPartnerContexts } from './rules';
import type { RunContext } from './run-context';
import { concatSql, insertSelectNew, selectRows, type Db } from '../db/affiliate/sql';
import { LEDGER_KEY, T, toExact } from '../db/affiliate/tables';

const REVERSIBLE = `${PAYMENT_STATUS.cancelled}, ${PAYMENT_STATUS.refunded}`;

export interface RefusedReferral {
  referral: number;
  affiliate: number;
  account: number;
  reason: SelfReferralReason;
}

/**
 * Binding already refuses a client with the partner's account, e-mail or payment identity. What binding cannot
 * see is a payment identity that shows up later: an active referral that has paid with a payer the partner also
 * paid with is refused here. It earns nothing more, and it is reported in bmp_affiliate_refusal.
 */
export async function refuseSelfReferrals(db: Db, run: RunContext): Promise<RefusedReferral[]> {
  const candidates = await selectRows<{
    referral: number;
    affiliate: number;
    account: number;
    partner: number;
  }>(
    db,
    // From the partners' payments with a payer to their referrals: a lookup per partner, not per referral.
    `SELECT DISTINCT r.id AS referral, r.affiliate, r.account, a.account AS partner
       FROM ${T.affiliate} a
       JOIN payment pp ON pp.account = a.account AND TRIM(pp.payer) <> ''
       JOIN ${T.referral} r ON r.affiliate = a.id AND r.status = 'active'
       JOIN payment rp ON rp.account = r.account AND LOWER(TRIM(rp.payer)) = LOWER(TRIM(pp.payer))`,
  );
  if (candidates.length === 0) return [];
  const identities = await identitiesOf(db, [
    ...new Set(candidates.flatMap((c) => [Number(c.account), Number(c.partner)])),
  ]);
  const refused: RefusedReferral[] = [];
  for (const c of candidates) {
    const partner = identities.get(Number(c.partner));
    const referred = identities.get(Number(c.account));
    const reason = partner && referred && selfReferralReason(partner, referred);
    if (!reason) continue;
    await db(T.referral)
      .where({ id: c.referral, status: 'active' })
      .update({ status: 'refused', status_reason: reason });
    await db(T.refusal).insert({
      affiliate: c.affiliate,
      account: c.account,
      source: 'run',
      reason,
      created_at: run.now,
    });
    refused.push({
      referral: Number(c.referral),
      affiliate: Number(c.affiliate),
      account: Number(c.account),
      reason,
    });
  }
  return refused;
}

/**
 * Clawback. A reward set off by a referred payment (one-time rewards, monthly invoice rewards) is reversed
 * exactly when that payment is refunded or cancelled: the negative entry keeps the reward's `available_on`, so it
 * cancels a pending reward before it clears and takes back an available one after.
 * A percent of expenses has no single payment behind it: a refunded payment takes back that percent of the
 * refunded amount, at most of what the referral was charged inside its referral period.
 */
export async function reverseRefundedRewards(db: Db, run: RunContext): Promise<void> {
  await reverseRewardsOfPayments(db, run);
  await reverseExpenseCommissions(db, run);
}

async function reverseRewardsOfPayments(db: Db, run: RunContext): Promise<void> {
  const note = concatSql(db, ["'payment '", 'CAST(p.id AS CHAR)', `' refunded or cancelled'`]);
  await insertSelectNew(
    db,
    T.ledger,
    LEDGER_COLUMNS,
    LEDGER_KEY,
    `SELECT 'reversed', l.affiliate, l.account, l.referral, l.source_kind, l.source_id, l.rule, l.rule_ref, l.period,
            l.currency, -l.amount_minor, l.available_on, l.payment, ?, ?, ${note}
       FROM ${T.ledger} l JOIN payment p ON p.id = l.payment
      WHERE l.kind = 'earned' AND l.payment IS NOT NULL AND p.status IN (${REVERSIBLE})`,
    [run.id, run.now],
  );
}

async function reverseExpenseCommissions(db: Db, run: RunContext): Promise<void> {
  const refunds = await selectRows<{
    payment: number;
    amount: unknown;
    currency: string;
    referral: number;
    affiliate: number;
    account_type: string | null;
    charged: unknown;
  }>(
    db,
    `SELECT p.id AS payment, p.amount, c.iso AS currency, r.id AS referral, r.affiliate, acc.account_type,
            (SELECT SUM(e.amount) FROM expense e
              WHERE e.account = r.account AND e.currency = p.currency AND e.realdate >= r.bound_at
                AND (r.reward_until IS NULL OR e.realdate < r.reward_until) AND e.realdate < ?) AS charged
       FROM payment p
       JOIN ${T.referral} r ON r.account = p.account
       JOIN account acc ON acc.id = r.account
       JOIN currency c ON c.id = p.currency
      WHERE p.status IN (${REVERSIBLE}) AND p.paydate IS NOT NULL
        AND p.paydate >= r.bound_at AND (r.reward_until IS NULL OR p.paydate < r.reward_until)
        AND NOT EXISTS (SELECT 1 FROM ${T.ledger} l
                         WHERE l.kind = 'reversed' AND l.source_kind = 'payment' AND l.source_id = p.id
                           AND l.rule = 'percent_of_expenses')`,
    [run.end],
  );
  if (refunds.length === 0) return;
  const partners = new Map(
    (await loadPartnerContexts(db, run.book, [...new Set(refunds.map((r) => Number(r.affiliate)))])).map(
      (p) => [p.affiliate, p],
    ),
  );
  const entries: LedgerEntry[] = [];
  for (const refund of refunds) {
    const partner = partners.get(Number(refund.affiliate));
    const sourced = partner?.ruleFor(refund.account_type);
    if (!partner || !sourced || triggerOf(sourced.rule) !== 'month_expenses') continue;
    const base = Decimal.min(toExact(refund.amount), toExact(refund.charged));
    const commission =
      base.gt(0) && rewardFor(sourced.rule, { monthExpenses: { amount: base, currency: refund.currency } });
    if (!commission || commission.minor <= 0n) continue;
    entries.push(
      entry({
        kind: 'reversed',
        affiliate: partner.affiliate,
        account: partner.account,
        referral: Number(refund.referral),
        sourceKind: 'payment',
        sourceId: Number(refund.payment),
        rule: 'percent_of_expenses',
        ruleRef: sourced.ref,
        period: 'once',
        amount: negate(commission),
        availableOn: run.today,
        payment: Number(refund.payment),
        run: run.id,
        createdAt: run.now,
        note: `payment ${refund.payment} refunded or cancelled`,
      }),
    );
  }
  await appendEntries(db, entries);
}
