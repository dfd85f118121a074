/**
 * Run-wide checks before anything is paid: referrals that turned out to be self-referrals are refused and
 * reported, and rewards of refunded or cancelled referred payments are reversed, even after they cleared.
 */
import Decimal from 'decimal.js';
import { money, negate } from '../domain/money';
import { selfReferralReason, type SelfReferralReason } from '../domain/affiliate/attribution';
import { rewardFor, triggerOf } from '../domain/affiliate/rules';
import {
  clawbackFacts,
  referralsWithClawbacks,
  reverseEntriesOfCancelledPayments,
  samePayerReferrals,
  type ClawbackFactsRow,
} from '../db/affiliate/clawback';
import { appendEntries, entry, type LedgerEntry } from '../db/affiliate/ledger';
import { insertRefusal, refuseActiveReferral } from '../db/affiliate/referrals';
import { toBigInt, toExact } from '../db/affiliate/tables';
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
 * Clawback, once per commission. A reward set off by a referred payment (one-time rewards, monthly invoice rewards)
 * is reversed exactly once when that payment is refunded or cancelled, naming the entry it reverses: the negative
 * entry keeps the reward's `available_on`, so it cancels a pending reward before it clears and takes back an
 * available one after.
 * A percent of expenses is earned on what a referral was charged; the host may give that money back as a negative
 * expense, as a refunded payment, or both for the same money. Each referral's clawback is therefore one running
 * total: the percent of min(charged, given back as negative expenses + refunded), where `charged` counts the months
 * a run paid and what was given back counts up to the end of the month the run pays for. Each run books only the growth of that total (`batch` = the total, in minor units), so it is taken
 * once whatever the order of the host's records and of the runs, and never more than the referral earned.
 */
export async function reverseRefundedRewards(db: Db, run: RunContext): Promise<void> {
  await reverseEntriesOfCancelledPayments(db, run);
  await reverseExpenseCommissions(db, run);
}

async function reverseExpenseCommissions(db: Db, run: RunContext): Promise<void> {
  const referrals = await referralsWithClawbacks(db);
  if (referrals.length === 0) return;
  const facts: ClawbackFactsRow[] = [];
  for (let at = 0; at < referrals.length; at += CHUNK) {
    facts.push(...(await clawbackFacts(db, referrals.slice(at, at + CHUNK), run.end)));
  }
  if (facts.length === 0) return;
  const partners = new Map(
    (await loadPartnerContexts(db, run.book, [...new Set(facts.map((f) => Number(f.affiliate)))])).map(
      (p) => [p.affiliate, p],
    ),
  );
  const entries: LedgerEntry[] = [];
  for (const fact of facts) {
    const partner = partners.get(Number(fact.affiliate));
    const sourced = partner?.earns ? partner.ruleFor(fact.account_type) : undefined;
    if (!partner || !sourced || triggerOf(sourced.rule) !== 'month_expenses') continue;
    const givenBack = toExact(fact.returned).add(toExact(fact.refunded));
    const base = Decimal.min(toExact(fact.charged), givenBack);
    const total = base.gt(0)
      ? rewardFor(sourced.rule, { monthExpenses: { amount: base, currency: fact.currency } })
      : undefined;
    const due = total ? total.minor - toBigInt(fact.reversed_minor) : 0n;
    if (!total || due <= 0n) continue;
    const referral = Number(fact.referral);
    entries.push(
      entry({
        kind: 'reversed',
        affiliate: partner.affiliate,
        account: partner.account,
        referral,
        sourceKind: 'referral',
        sourceId: referral,
        rule: 'percent_of_expenses',
        ruleRef: sourced.ref,
        period: run.period,
        amount: negate(money(due, total.currency)),
        availableOn: run.today,
        run: run.id,
        createdAt: run.now,
        note: `referral ${referral}: charges given back or refunded`,
        batch: total.minor,
        reverses: `referral:${referral}`,
      }),
    );
  }
  await appendEntries(db, entries);
}

/** Referrals per facts query: below MariaDB's 1000, where IN lists turn into derived tables. */
const CHUNK = 500;
