/**
 * The holding area (src/domain/affiliate/holding.ts): clearing pending credit whose date has come, applying
 * available credit to the partner's balance as a host payment, withdrawals. All sums are over integer minor
 * units, so SQL adds them exactly; nothing here rounds.
 */
import type { Knex } from 'knex';
import { isMysql } from '../db/connect';
import { withTransaction } from '../db/transaction';
import { minorToMajorSql, money, type Money } from '../domain/money';
import { withdrawalRefusal, WITHDRAWAL_REFUSAL_TEXT } from '../domain/affiliate/holding';
import { toDate, toDateTime } from '../domain/affiliate/period';
import { AffiliateValidationError } from '../domain/affiliate/validation';
import { PAYMENT_STATUS } from '../db/payment';
import { appendEntries, entry, LEDGER_COLUMNS } from '../db/affiliate/ledger';
import { loadSettings } from './settings';
import {
  addToRowsFrom,
  concatSql,
  insertSelectNew,
  lockPartners,
  placeholders,
  selectRows,
  type Db,
} from '../db/affiliate/sql';
import { LEDGER_KEY, T, toBigInt, type DbAffiliateWithdrawalRow } from '../db/affiliate/tables';

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

/** Moves the partners' pending credit whose `available_on` has come to available: one `cleared` entry each. */
export async function clearDueCredit(db: Db, affiliates: readonly number[], slot: CreditSlot): Promise<void> {
  if (affiliates.length === 0) return;
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

/**
 * Seed 000's automatic payment: each partner's positive available credit becomes an `applied` entry and a paid
 * host payment on the partner's account, and the account's balance grows by it when the currencies match
 * ([assumed]: the core keeps `account.balance` as a stored sum of paid payments). Credit in a currency the host
 * does not know stays available.
 */
export async function applyAvailableCredit(
  db: Db,
  affiliates: readonly number[],
  slot: CreditSlot,
): Promise<void> {
  if (affiliates.length === 0) return;
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
  if (slot.run !== null) await payAppliedCredit(db, affiliates, { id: slot.run, now: slot.now });
}

function slotSource(slot: CreditSlot): [string, number[]] {
  return slot.sourceId === 'partner' ? ['l.affiliate', []] : ['?', [slot.sourceId]];
}

/** The host side of the `applied` entries of a run: one paid payment each, and the balance. */
async function payAppliedCredit(
  db: Db,
  affiliates: readonly number[],
  run: { id: number; now: string },
): Promise<void> {
  const currencyId = '(SELECT MIN(c.id) FROM currency c WHERE c.iso = l.currency)';
  const major = (minor: string) => minorToMajorSql(minor, isMysql(db as Knex) ? 'mysql' : 'sqlite');
  const info = concatSql(db, ["'Affiliate reward '", 'l.period', "', ledger #'", 'CAST(l.id AS CHAR)']);
  await db.raw(
    `INSERT INTO payment (account, project, amount, currency, status, createdate, paydate, info, paymethod)
     SELECT l.account, prog.project, ${major('-l.amount_minor')}, ${currencyId}, ${PAYMENT_STATUS.paid}, ?, ?, ${info}, 'affiliate'
       FROM ${T.ledger} l
       JOIN ${T.affiliate} a ON a.id = l.affiliate
       JOIN ${T.program} prog ON prog.id = a.program
      WHERE l.run = ? AND l.kind = 'applied' AND l.affiliate IN (${placeholders(affiliates)})`,
    [run.now, run.now, run.id, ...affiliates],
  );
  // Only this page's entries: an account that is a partner of two programs may have its other entry on
  // another page, which adds its own.
  await addToRowsFrom(
    db,
    'account',
    'balance',
    `SELECT l.account AS id, ${major('-SUM(l.amount_minor)')} AS amount
       FROM ${T.ledger} l
       JOIN account acc ON acc.id = l.account
       JOIN currency c ON c.id = acc.currency AND c.iso = l.currency
      WHERE l.run = ? AND l.kind = 'applied' AND l.affiliate IN (${placeholders(affiliates)})
      GROUP BY l.account`,
    [run.id, ...affiliates],
  );
}

export interface PartnerBalance {
  currency: string;
  pending: Money;
  available: Money;
  /** Everything ever paid onto the balance or withdrawn. */
  paidOut: Money;
}

/** The partner's holding area per currency: pending (not yet cleared), available, and paid out. */
export async function balancesOf(db: Db, affiliate: number): Promise<PartnerBalance[]> {
  const rows = await selectRows<{
    currency: string;
    pending: unknown;
    available: unknown;
    paid_out: unknown;
  }>(
    db,
    `SELECT l.currency,
            SUM(CASE WHEN l.kind IN ('earned', 'reversed') THEN l.amount_minor
                     WHEN l.kind = 'cleared' THEN -l.amount_minor ELSE 0 END) AS pending,
            ${AVAILABLE} AS available,
            -SUM(CASE WHEN l.kind IN ('applied', 'withdrawn') THEN l.amount_minor ELSE 0 END) AS paid_out
       FROM ${T.ledger} l WHERE l.affiliate = ? GROUP BY l.currency ORDER BY l.currency`,
    [affiliate],
  );
  return rows.map((row) => ({
    currency: row.currency,
    pending: money(toBigInt(row.pending), row.currency),
    available: money(toBigInt(row.available), row.currency),
    paidOut: money(toBigInt(row.paid_out), row.currency),
  }));
}

/**
 * Applies the partner's available credit to its balance now (an admin's "apply", when the settings do not
 * apply automatically). Returns what was applied per currency.
 */
export async function applyNow(db: Db, affiliate: number, now: Date): Promise<Money[]> {
  return withTransaction(db, async (trx) => {
    await lockPartners(trx, [affiliate]);
    const [run] = await trx(T.run).insert({
      period: toDate(now).slice(0, 7),
      run_date: toDate(now),
      started_at: toDateTime(now),
      finished_at: toDateTime(now),
      summary: JSON.stringify({ applyNow: affiliate }),
    });
    const slot: CreditSlot = {
      sourceKind: 'run',
      sourceId: Number(run),
      period: 'once',
      today: toDate(now),
      now: toDateTime(now),
      run: Number(run),
    };
    await clearDueCredit(trx, [affiliate], slot);
    await applyAvailableCredit(trx, [affiliate], slot);
    const applied = (await trx(T.ledger).where({ run: slot.run, kind: 'applied' })) as Array<{
      amount_minor: unknown;
      currency: string;
    }>;
    return applied.map((row) => money(-toBigInt(row.amount_minor), row.currency));
  });
}

/**
 * A partner asks to be paid out: the amount must be at least the minimum and at most the available credit
 * (after clearing what is due). The request reserves the credit with a `withdrawn` entry and goes to the
 * settings' support department.
 */
export async function requestWithdrawal(
  db: Db,
  affiliate: number,
  amount: Money,
  now: Date,
): Promise<DbAffiliateWithdrawalRow> {
  return withTransaction(db, async (trx) => {
    await lockPartners(trx, [affiliate]);
    const partner = (await trx(T.affiliate).where({ id: affiliate }).first()) as
      { account: number } | undefined;
    if (!partner) throw new AffiliateValidationError('withdrawal', [`there is no partner ${affiliate}`]);
    const settings = await loadSettings(trx);
    const [id] = await trx(T.withdrawal).insert({
      affiliate,
      amount_minor: amount.minor.toString(),
      currency: amount.currency,
      status: 'requested',
      department: settings.supportDepartment,
      requested_at: toDateTime(now),
    });
    const withdrawalId = Number(id);
    await clearDueCredit(trx, [affiliate], {
      sourceKind: 'withdrawal',
      sourceId: withdrawalId,
      period: 'once',
      today: toDate(now),
      now: toDateTime(now),
      run: null,
    });
    const available =
      (await balancesOf(trx, affiliate)).find((b) => b.currency === amount.currency)?.available ??
      money(0n, amount.currency);
    const minimum =
      settings.currency === amount.currency
        ? money(settings.minWithdrawalMinor, amount.currency)
        : money(0n, amount.currency);
    const refusal = withdrawalRefusal(amount, available, minimum);
    if (refusal) throw new AffiliateValidationError('withdrawal', [WITHDRAWAL_REFUSAL_TEXT[refusal]]);
    await appendEntries(trx, [
      entry({
        kind: 'withdrawn',
        affiliate,
        account: partner.account,
        sourceKind: 'withdrawal',
        sourceId: withdrawalId,
        rule: 'withdrawal',
        period: 'once',
        amount: money(-amount.minor, amount.currency),
        createdAt: toDateTime(now),
        note: `withdrawal ${withdrawalId} requested`,
      }),
    ]);
    return (await trx(T.withdrawal).where({ id: withdrawalId }).first()) as DbAffiliateWithdrawalRow;
  });
}

/** An admin settles a request: paid (the credit is gone) or rejected (the credit comes back to available). */
export async function decideWithdrawal(
  db: Db,
  withdrawalId: number,
  decision: 'paid' | 'rejected',
  now: Date,
  note?: string,
): Promise<DbAffiliateWithdrawalRow> {
  return withTransaction(db, async (trx) => {
    const row = (await trx(T.withdrawal).where({ id: withdrawalId }).first()) as
      DbAffiliateWithdrawalRow | undefined;
    if (!row) throw new AffiliateValidationError('withdrawal', [`there is no withdrawal ${withdrawalId}`]);
    if (row.status !== 'requested') {
      throw new AffiliateValidationError('withdrawal', [
        `withdrawal ${withdrawalId} is already ${row.status}`,
      ]);
    }
    const changed = await trx(T.withdrawal)
      .where({ id: withdrawalId, status: 'requested' })
      .update({ status: decision, decided_at: toDateTime(now), note: note?.slice(0, 255) ?? null });
    if (changed !== 1)
      throw new AffiliateValidationError('withdrawal', [`withdrawal ${withdrawalId} changed meanwhile`]);
    if (decision === 'rejected') {
      const partner = (await trx(T.affiliate).where({ id: row.affiliate }).first()) as { account: number };
      await appendEntries(trx, [
        entry({
          kind: 'withdrawn',
          affiliate: row.affiliate,
          account: partner.account,
          sourceKind: 'withdrawal',
          sourceId: withdrawalId,
          rule: 'withdrawal_rejected',
          period: 'once',
          amount: money(toBigInt(row.amount_minor), row.currency),
          createdAt: toDateTime(now),
          note: `withdrawal ${withdrawalId} rejected`,
        }),
      ]);
    }
    return (await trx(T.withdrawal).where({ id: withdrawalId }).first()) as DbAffiliateWithdrawalRow;
  });
}

export async function listWithdrawals(
  db: Db,
  filter: { affiliate?: number; status?: string } = {},
): Promise<DbAffiliateWithdrawalRow[]> {
  const query = db(T.withdrawal).orderBy('id');
  if (filter.affiliate !== undefined) query.where({ affiliate: filter.affiliate });
  if (filter.status !== undefined) query.where({ status: filter.status });
  return (await query) as DbAffiliateWithdrawalRow[];
}
