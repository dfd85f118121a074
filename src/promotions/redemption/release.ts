/**
 * Releasing a reservation: the order was cancelled, or it was not paid within its hold. The status moves from
 * `reserved` to `released` by one conditional UPDATE, and only the call that moved it gives the uses back and
 * writes the release entry: a use is freed once, however often or concurrently the release is asked for.
 */
import type { Knex } from 'knex';
import { formatDateTime } from '../../domain/dates';
import { addEntry, entryBySource } from '../../db/promotion/ledger';
import {
  giveUsesBack,
  heldTooLong,
  moveRedemption,
  redemptionById,
  type DbPromotionRedemptionRow,
} from '../../db/promotion/redemption';
import { withTransaction } from '../../db/transaction';
import { codeOf, findRedemption } from './commit';
import { redemptionView, type RedemptionView } from './view';

export async function releaseRedemption(
  db: Knex,
  target: { id?: number; key?: string },
  reason: 'cancelled' | 'timed_out',
  now: Date,
): Promise<{ released: boolean; redemption: RedemptionView }> {
  return withTransaction(
    db,
    async (trx) => {
      const found = await findRedemption(trx, target);
      const id = Number(found.id);
      const at = formatDateTime(now);
      const moved = await moveRedemption(trx, id, 'reserved', {
        status: 'released',
        released_at: at,
        release_reason: reason,
      });
      if (moved) {
        await giveUsesBack(trx, {
          code: Number(found.code),
          promotion: found.promotion,
          account: found.account,
        });
        await addEntry(trx, {
          account: found.account,
          promotion: found.promotion,
          redemption: id,
          kind: 'release',
          source: `redemption:${id}`,
          amount_minor: '0',
          currency: found.currency ?? (await entryCurrency(trx, id)),
          valid_until: null,
          created_at: at,
        });
      }
      const row = (await redemptionById(trx, id)) as DbPromotionRedemptionRow;
      return { released: moved, redemption: redemptionView(row, (await codeOf(trx, Number(row.code))).code) };
    },
    { deadlockRetries: 5 },
  );
}

/** The currency of the redemption's own entry, for a release that moves no money. */
async function entryCurrency(trx: Knex.Transaction, redemption: number): Promise<string> {
  return (await entryBySource(trx, 'redemption', `redemption:${redemption}`))?.currency ?? 'USD';
}

/** Releases every reservation whose hold ended before `now`; safe to run from cron, and twice at once. */
export async function releaseHeldTooLong(db: Knex, now: Date): Promise<number> {
  let released = 0;
  for (;;) {
    const page = await heldTooLong(db, formatDateTime(now), 500);
    if (page.length === 0) return released;
    for (const row of page) {
      const result = await releaseRedemption(db, { id: Number(row.id) }, 'timed_out', now);
      if (result.released) released += 1;
    }
    if (page.length < 500) return released;
  }
}
