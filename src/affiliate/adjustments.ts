/**
 * An admin's manual adjustments of a partner's credit (issue 13): a positive or negative amount with a reason. Each
 * is a row of bmp_affiliate_adjustment and two ledger entries, never an edit of an entry: the adjustment itself
 * (`earned` when positive, `reversed` when negative, rule `adjustment`) and its clearing, so that it counts in the
 * available credit at once. A mistaken adjustment is corrected by another one.
 */
import { withTransaction } from '../db/transaction';
import { money, type Money } from '../domain/money';
import { toDate, toDateTime } from '../domain/affiliate/period';
import { AffiliateValidationError, Problems } from '../domain/affiliate/validation';
import { hostHasCurrency, insertAdjustment, listAdjustmentRows } from '../db/affiliate/adjustments';
import { appendEntries, entry } from '../db/affiliate/ledger';
import { findPartner } from '../db/affiliate/partners';
import { lockPartners, type Db } from '../db/affiliate/sql';
import { toBigInt, type DbAffiliateAdjustmentRow } from '../db/affiliate/tables';
import { noPartner } from './programs';

export interface AdjustmentView {
  readonly id: number;
  readonly affiliate: number;
  readonly amount: Money;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export async function adjustCredit(
  db: Db,
  input: { affiliate: number; amount: Money; reason: string; by: string; now: Date },
): Promise<AdjustmentView> {
  const reason = input.reason.trim();
  const problems = new Problems();
  problems.check(input.amount.minor !== 0n, 'an adjustment must be of an amount other than 0');
  problems.check(reason.length > 0, 'an adjustment needs a reason');
  problems.check(reason.length <= 255, 'the reason is at most 255 characters');
  problems.throwIfAny('adjustment');
  return withTransaction(db, async (trx) => {
    await lockPartners(trx, [input.affiliate]);
    const partner = await findPartner(trx, input.affiliate);
    if (!partner) throw noPartner(input.affiliate);
    if (!(await hostHasCurrency(trx, input.amount.currency)))
      throw new AffiliateValidationError('adjustment', [`the host has no currency ${input.amount.currency}`]);
    const createdAt = toDateTime(input.now);
    const by = input.by.trim().slice(0, 64) || 'admin';
    const id = await insertAdjustment(trx, {
      affiliate: input.affiliate,
      amount_minor: input.amount.minor.toString(),
      currency: input.amount.currency,
      reason,
      created_by: by,
      created_at: createdAt,
    });
    const today = toDate(input.now);
    const common = {
      affiliate: input.affiliate,
      account: Number(partner.account),
      sourceKind: 'adjustment' as const,
      sourceId: id,
      period: 'once',
      amount: input.amount,
      availableOn: today,
      createdAt,
    };
    await appendEntries(trx, [
      entry({
        ...common,
        kind: input.amount.minor > 0n ? 'earned' : 'reversed',
        rule: 'adjustment',
        ruleRef: `adjustment:${id}`,
        note: `adjustment ${id} by ${by}: ${reason}`,
      }),
      entry({ ...common, kind: 'cleared', rule: 'clearing', note: `adjustment ${id} available at once` }),
    ]);
    return adjustmentView({
      id,
      affiliate: input.affiliate,
      amount_minor: input.amount.minor.toString(),
      currency: input.amount.currency,
      reason,
      created_by: by,
      created_at: createdAt,
    });
  });
}

export async function listAdjustments(
  db: Db,
  filter: { affiliate?: number } = {},
): Promise<AdjustmentView[]> {
  return (await listAdjustmentRows(db, filter)).map(adjustmentView);
}

function adjustmentView(row: DbAffiliateAdjustmentRow): AdjustmentView {
  return {
    id: Number(row.id),
    affiliate: Number(row.affiliate),
    amount: money(toBigInt(row.amount_minor), row.currency),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: String(row.created_at),
  };
}
