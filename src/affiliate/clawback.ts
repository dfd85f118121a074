/**
 * Run-wide checks before anything is paid: referrals that turned out to be self-referrals are refused and
 * reported, and rewards of refunded or cancelled referred payments are reversed, even after they cleared.
 */
import Decimal from 'decimal.js';
import { negate } from '../domain/money';
import { selfReferralReason, type SelfReferralReason } from '../domain/affiliate/attribution';
import { rewardFor, triggerOf } from '../domain/affiliate/rules';
import {
  reverseEntriesOfCancelledPayments,
  samePayerReferrals,
  unreversedRefunds,
} from '../db/affiliate/clawback';
import { appendEntries, entry, type LedgerEntry } from '../db/affiliate/ledger';
import { insertRefusal, refuseActiveReferral } from '../db/affiliate/referrals';
import { toExact } from '../db/affiliate/tables';
import type { Db } from '../db/types';
import { identitiesOf } from './host-facts';
import { loadPartnerContexts } from './rules';
import type { RunContext } from './run-context';

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
  const candidates = await samePayerReferrals(db);
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
    await refuseActiveReferral(db, c.referral, reason);
    await insertRefusal(db, {
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
  await reverseEntriesOfCancelledPayments(db, run);
}

async function reverseExpenseCommissions(db: Db, run: RunContext): Promise<void> {
  const refunds = await unreversedRefunds(db, run.end);
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
