/**
 * The holding area's ledger sums (src/domain/affiliate/holding.ts): clearing pending credit whose date has come and
 * applying available credit, each one INSERT ... SELECT over integer minor units, so SQL adds them exactly.
 */
import type { Db } from '../types';
import { LEDGER_COLUMNS } from './ledger';
import { enqueueCredits } from '../host-credit';
import { concatSql, insertSelectNew, placeholders, selectRows } from './sql';
import { LEDGER_KEY, T } from './tables';

/**
 * The day a partner's pending credit is cleared against: today, but never a day before its last clearing, so a
 * back-dated request cannot move credit back to pending. `lc.cleared_to` is the partner's last clearing day.
 */
const CLEARING_DAY = 'CASE WHEN lc.cleared_to IS NULL OR lc.cleared_to < ? THEN ? ELSE lc.cleared_to END';
/** Pending credit due by the clearing day and not yet cleared. */
const CLEARABLE = `SUM(CASE WHEN l.kind IN ('earned', 'reversed') AND l.available_on <= ${CLEARING_DAY} THEN l.amount_minor
                            WHEN l.kind = 'cleared' THEN -l.amount_minor ELSE 0 END)`;
const AVAILABLE = `SUM(CASE WHEN l.kind IN ('cleared', 'applied', 'withdrawn') THEN l.amount_minor ELSE 0 END)`;

/**
 * Where a clearing or an application belongs: its source and period are part of the ledger key, so one source
 * clears and applies at most once per period. A monthly run's slot is the partner itself and the month
 * (`sourceId: 'partner'`); an admin's apply or a withdrawal has its own id.
 */
export interface CreditSlot {
  sourceKind: 'run' | 'withdrawal';
  sourceId: number | 'partner';
  period: string;
  /** The day pending credit is cleared against, and the time written on the entries. */
  today: string;
  now: string;
  run: number | null;
}

/** One `cleared` entry per partner and currency: its pending credit whose `available_on` has come. */
export async function insertClearings(
  db: Db,
  affiliates: readonly number[],
  slot: CreditSlot,
): Promise<void> {
  const [sourceId, sourceBinding] = slotSource(slot);
  const day = [slot.today, slot.today];
  await insertSelectNew(
    db,
    T.ledger,
    LEDGER_COLUMNS,
    LEDGER_KEY,
    `SELECT 'cleared', l.affiliate, l.account, NULL, ?, ${sourceId}, 'clearing', NULL, ?, l.currency, ${CLEARABLE},
            MAX(${CLEARING_DAY}), NULL, ?, ?, NULL
       FROM ${T.ledger} l
       LEFT JOIN (SELECT affiliate, MAX(available_on) AS cleared_to FROM ${T.ledger}
                   WHERE kind = 'cleared' AND affiliate IN (${placeholders(affiliates)}) GROUP BY affiliate) lc
              ON lc.affiliate = l.affiliate
      WHERE l.affiliate IN (${placeholders(affiliates)})
      GROUP BY l.affiliate, l.account, l.currency
     HAVING ${CLEARABLE} <> 0`,
    [
      slot.sourceKind,
      ...sourceBinding,
      slot.period,
      ...day,
      ...day,
      slot.run,
      slot.now,
      ...affiliates,
      ...affiliates,
      ...day,
    ],
  );
}

/** One `applied` entry per partner and currency the host knows: its positive available credit, negated. */
export async function insertApplications(
  db: Db,
  affiliates: readonly number[],
  slot: CreditSlot,
): Promise<void> {
  const [sourceId, sourceBinding] = slotSource(slot);
  await insertSelectNew(
    db,
    T.ledger,
    LEDGER_COLUMNS,
    LEDGER_KEY,
    `SELECT 'applied', l.affiliate, l.account, NULL, ?, ${sourceId}, 'apply', NULL, ?, l.currency, -${AVAILABLE},
            NULL, NULL, ?, ?, 'paid onto the balance'
       FROM ${T.ledger} l
      WHERE l.affiliate IN (${placeholders(affiliates)}) AND EXISTS (SELECT 1 FROM currency c WHERE c.iso = l.currency)
      GROUP BY l.affiliate, l.account, l.currency
     HAVING ${AVAILABLE} > 0`,
    [slot.sourceKind, ...sourceBinding, slot.period, slot.run, slot.now, ...affiliates],
  );
}

function slotSource(slot: CreditSlot): [string, number[]] {
  return slot.sourceId === 'partner' ? ['l.affiliate', []] : ['?', [slot.sourceId]];
}

export interface BalanceRow {
  currency: string;
  pending: unknown;
  available: unknown;
  paid_out: unknown;
}

/** The partner's ledger summed per currency: pending (not yet cleared), available, and paid out (minor units). */
export async function balanceRows(db: Db, affiliate: number): Promise<BalanceRow[]> {
  return selectRows<BalanceRow>(
    db,
    `SELECT l.currency,
            SUM(CASE WHEN l.kind IN ('earned', 'reversed') THEN l.amount_minor
                     WHEN l.kind = 'cleared' THEN -l.amount_minor ELSE 0 END) AS pending,
            ${AVAILABLE} AS available,
            -SUM(CASE WHEN l.kind IN ('applied', 'withdrawn') THEN l.amount_minor ELSE 0 END) AS paid_out
       FROM ${T.ledger} l WHERE l.affiliate = ? GROUP BY l.currency ORDER BY l.currency`,
    [affiliate],
  );
}

/** The `applied` entries of a run. */
export async function appliedEntriesOfRun(
  db: Db,
  run: number,
): Promise<Array<{ amount_minor: unknown; currency: string }>> {
  return (await db(T.ledger).where({ run, kind: 'applied' })) as Array<{
    amount_minor: unknown;
    currency: string;
  }>;
}

/**
 * The host side of the `applied` entries of a run: one credit each in the host adapter's outbox, in the caller's
 * transaction, so a committed entry is always credited and a rolled back one never is. The info text holds the
 * ledger id, which makes it unique per credit (host/credit.ts finds a lost answer's payment by it).
 */
export async function enqueueAppliedCredits(
  db: Db,
  affiliates: readonly number[],
  run: { id: number; now: string },
): Promise<void> {
  const key = concatSql(db, ["'affiliate:ledger:'", 'CAST(l.id AS CHAR)']);
  const info = concatSql(db, ["'Affiliate reward '", 'l.period', "', ledger #'", 'CAST(l.id AS CHAR)']);
  await enqueueCredits(
    db,
    `SELECT ${key} AS credit_key, l.account AS account, prog.project AS project, -l.amount_minor AS amount_minor,
            l.currency AS currency, ${info} AS info, ? AS created_at
       FROM ${T.ledger} l
       JOIN ${T.affiliate} a ON a.id = l.affiliate
       JOIN ${T.program} prog ON prog.id = a.program
      WHERE l.run = ? AND l.kind = 'applied' AND l.affiliate IN (${placeholders(affiliates)})`,
    [run.now, run.id, ...affiliates],
  );
}
