/**
 * The monthly run's clawback reads and writes: referrals whose payer matches their partner's, rewards of
 * refunded or cancelled payments reversed in the ledger, and the refunds a percent of expenses is taken back from.
 */
import { PAYMENT_STATUS } from '../payment';
import type { Db } from '../types';
import { LEDGER_COLUMNS } from './ledger';
import { concatSql, insertSelectNew, placeholders, selectRows } from './sql';
import { LEDGER_KEY, T } from './tables';
import { notPluginExpense } from '../host-credit';

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
 * whose payment is now cancelled or refunded, naming the entry it reverses; one already reversed is skipped by the
 * ledger's key (the same source, rule and period, batch 0): once per commission.
 */
export async function reverseEntriesOfCancelledPayments(
  db: Db,
  run: { id: number; now: string },
): Promise<void> {
  const note = concatSql(db, ["'payment '", 'CAST(p.id AS CHAR)', `' refunded or cancelled'`]);
  const reverses = concatSql(db, ["'ledger:'", 'CAST(l.id AS CHAR)']);
  await insertSelectNew(
    db,
    T.ledger,
    [...LEDGER_COLUMNS, 'reverses'],
    LEDGER_KEY,
    `SELECT 'reversed', l.affiliate, l.account, l.referral, l.source_kind, l.source_id, l.rule, l.rule_ref, l.period,
            l.currency, -l.amount_minor, l.available_on, l.payment, ?, ?, ${note}, ${reverses}
       FROM ${T.ledger} l JOIN payment p ON p.id = l.payment
      WHERE l.kind = 'earned' AND l.payment IS NOT NULL AND p.status IN (${REVERSIBLE})`,
    [run.id, run.now],
  );
}

/** Active referrals with something to take back: a negative expense, or a refunded or cancelled payment. */
export async function referralsWithClawbacks(db: Db): Promise<number[]> {
  const rows = await selectRows<{ referral: number }>(
    db,
    // Two scans that find few rows, joined to the referrals by account, rather than a probe per referral. UNION
    // drops the duplicates; a DISTINCT inside made MariaDB walk the (account, realdate) index and fetch every row
    // for its amount (1.3 s against 0.4 s at 1,100,000 expenses).
    `SELECT r.id AS referral FROM ${T.referral} r
       JOIN (SELECT account FROM expense WHERE amount < 0
             UNION SELECT account FROM payment WHERE status IN (${REVERSIBLE})) x ON x.account = r.account
      WHERE r.status = 'active'`,
  );
  return rows.map((r) => Number(r.referral));
}

export interface ClawbackFactsRow {
  referral: number;
  affiliate: number;
  account_type: string | null;
  currency: string;
  /** What the referral was charged inside its referral period in months a run paid: the commission's basis. */
  charged: unknown;
  /** What the host gave back as negative expenses inside the referral period (a positive amount). */
  returned: unknown;
  /** Refunded or cancelled payments paid inside the referral period. */
  refunded: unknown;
  /** What percent-of-expenses reversals of the referral already took back, in minor units (positive). */
  reversed_minor: unknown;
}

/**
 * Per referral and currency, the facts its percent-of-expenses clawback is computed from (the referral period is
 * [bound_at, reward_until)); what was given back counts up to `end`, the end of the month the run pays for. Rows with nothing charged are left out: nothing was earned, nothing is taken back.
 */
export async function clawbackFacts(
  db: Db,
  referrals: readonly number[],
  end: string,
): Promise<ClawbackFactsRow[]> {
  const inPeriod = (column: string): string =>
    `${column} >= r.bound_at AND (r.reward_until IS NULL OR ${column} < r.reward_until)`;
  return selectRows<ClawbackFactsRow>(
    db,
    `SELECT r.id AS referral, r.affiliate, acc.account_type, c.iso AS currency,
            SUM(f.charged) AS charged, SUM(f.returned) AS returned, SUM(f.refunded) AS refunded,
            (SELECT COALESCE(SUM(-l.amount_minor), 0) FROM ${T.ledger} l
              WHERE l.referral = r.id AND l.kind = 'reversed' AND l.rule = 'percent_of_expenses'
                AND l.source_kind IN ('referral', 'payment') AND l.currency = c.iso) AS reversed_minor
       FROM (SELECT r.id AS referral, e.currency,
                    SUM(CASE WHEN e.amount > 0 AND EXISTS (SELECT 1 FROM ${T.run} run
                                                             WHERE run.period = SUBSTR(e.realdate, 1, 7))
                             THEN e.amount ELSE 0 END) AS charged,
                    SUM(CASE WHEN e.amount < 0 AND e.realdate < ? THEN -e.amount ELSE 0 END) AS returned,
                    0 AS refunded
               FROM ${T.referral} r JOIN expense e ON e.account = r.account AND ${inPeriod('e.realdate')}
              WHERE r.id IN (${placeholders(referrals)}) AND ${notPluginExpense('e')}
              GROUP BY r.id, e.currency
             UNION ALL
             SELECT r.id AS referral, p.currency, 0 AS charged, 0 AS returned, SUM(p.amount) AS refunded
               FROM ${T.referral} r
               JOIN payment p ON p.account = r.account AND p.status IN (${REVERSIBLE}) AND p.paydate < ?
                             AND ${inPeriod('p.paydate')}
              WHERE r.id IN (${placeholders(referrals)})
              GROUP BY r.id, p.currency) f
       JOIN ${T.referral} r ON r.id = f.referral
       JOIN account acc ON acc.id = r.account
       JOIN currency c ON c.id = f.currency
      GROUP BY r.id, r.affiliate, acc.account_type, c.iso
     HAVING SUM(f.charged) > 0`,
    [end, ...referrals, end, ...referrals],
  );
}
