/**
 * The monthly run's clawback reads and writes: referrals whose payer matches their partner's, rewards of
 * refunded or cancelled payments reversed in the ledger, and the refunds a percent of expenses is taken back from.
 */
import { PAYMENT_STATUS } from '../payment';
import type { Db } from '../types';
import { LEDGER_COLUMNS } from './ledger';
import { concatSql, insertSelectNew, selectRows } from './sql';
import { LEDGER_KEY, T } from './tables';

const REVERSIBLE = `${PAYMENT_STATUS.cancelled}, ${PAYMENT_STATUS.refunded}`;

export interface SamePayerReferral {
  referral: number;
  affiliate: number;
  account: number;
  partner: number;
}

/** Active referrals that paid with a payer their partner's account also paid with. */
export async function samePayerReferrals(db: Db): Promise<SamePayerReferral[]> {
  return selectRows<SamePayerReferral>(
    db,
    // From the partners' payments with a payer to their referrals: a lookup per partner, not per referral.
    `SELECT DISTINCT r.id AS referral, r.affiliate, r.account, a.account AS partner
       FROM ${T.affiliate} a
       JOIN payment pp ON pp.account = a.account AND TRIM(pp.payer) <> ''
       JOIN ${T.referral} r ON r.affiliate = a.id AND r.status = 'active'
       JOIN payment rp ON rp.account = r.account AND LOWER(TRIM(rp.payer)) = LOWER(TRIM(pp.payer))`,
  );
}

/**
 * One INSERT ... SELECT: a 'reversed' entry (the amount negated, the same available_on) for every earned entry
 * whose payment is now cancelled or refunded; one already reversed is skipped by the ledger's key.
 */
export async function reverseEntriesOfCancelledPayments(
  db: Db,
  run: { id: number; now: string },
): Promise<void> {
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

export interface RefundOfReferral {
  payment: number;
  amount: unknown;
  currency: string;
  referral: number;
  affiliate: number;
  account_type: string | null;
  /** What the referral was charged in the payment's currency inside its referral period, before `end`. */
  charged: unknown;
}

/**
 * Refunded or cancelled payments of referrals, paid inside the referral period, whose percent-of-expenses
 * commission has not been reversed yet.
 */
export async function unreversedRefunds(db: Db, end: string): Promise<RefundOfReferral[]> {
  return selectRows<RefundOfReferral>(
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
    [end],
  );
}
