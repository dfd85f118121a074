/**
 * Committing a reserved redemption (the order was paid) and crediting a certificate: a `credit` ledger entry with
 * the validity term of the funds, carried out by the host adapter's one credit function in the same transaction,
 * so the entry and the credit stand or fall together.
 */
import type { Knex } from 'knex';
import { formatDateTime } from '../../domain/dates';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { formatMoney, money } from '../../domain/money';
import { endOfPeriod, type PeriodType } from '../../domain/promotion/codes/batch';
import { batchById, codeById, type DbPromotionCodeBatchRow } from '../../db/promotion/codes';
import { addEntry, setEntryPayment } from '../../db/promotion/ledger';
import {
  moveRedemption,
  promotionTerms,
  redemptionById,
  redemptionByKey,
  type DbPromotionRedemptionRow,
} from '../../db/promotion/redemption';
import { withTransaction } from '../../db/transaction';
import type { Db } from '../../db/types';
import type { RedemptionPorts } from './ports';
import { redemptionView, type RedemptionView } from './view';

/** The certificate's funds onto the account: the ledger entry, then the host's credit naming it. */
export async function creditCertificate(
  trx: Knex.Transaction,
  redemption: DbPromotionRedemptionRow,
  batch: DbPromotionCodeBatchRow,
  ports: Pick<RedemptionPorts, 'credit' | 'now'>,
): Promise<void> {
  if (redemption.amount_minor === null || redemption.currency === null) return;
  const amount = money(BigInt(String(redemption.amount_minor)), redemption.currency);
  const validUntil =
    batch.funds_period_type === null
      ? null
      : formatDateTime(
          endOfPeriod(ports.now, {
            type: batch.funds_period_type as PeriodType,
            length: Number(batch.funds_period_length ?? 1),
          }),
        );
  const id = await addEntry(trx, {
    account: redemption.account,
    promotion: redemption.promotion,
    redemption: redemption.id,
    kind: 'credit',
    source: `redemption:${redemption.id}`,
    amount_minor: amount.minor.toString(),
    currency: amount.currency,
    valid_until: validUntil,
    created_at: formatDateTime(ports.now),
  });
  const { payment } = await ports.credit(trx, {
    account: redemption.account,
    project: (await promotionTerms(trx, redemption.promotion))?.project ?? 1,
    amount,
    source: `ledger:${id}`,
    info: `Certificate ${formatMoney(amount)}${validUntil ? `, valid until ${validUntil} UTC` : ''}, promotion ledger #${id}`,
  });
  if (payment !== null) await setEntryPayment(trx, id, payment);
}

/**
 * Commits a reservation: its uses stay taken and a certificate is credited. Committing again answers the same;
 * a released reservation cannot be committed (its uses were given back).
 */
export async function commitRedemption(
  db: Knex,
  target: { id?: number; key?: string },
  ports: Pick<RedemptionPorts, 'credit' | 'now'>,
): Promise<RedemptionView> {
  return withTransaction(
    db,
    async (trx) => {
      const found = await findRedemption(trx, target);
      if (found.status === 'released')
        throw new ConflictError(
          'redemption',
          `redemption ${found.id} was released: its uses were given back`,
        );
      const moved = await moveRedemption(trx, Number(found.id), 'reserved', {
        status: 'committed',
        committed_at: formatDateTime(ports.now),
      });
      const row = (await redemptionById(trx, Number(found.id))) as DbPromotionRedemptionRow;
      if (moved && row.amount_minor !== null) {
        const code = await codeOf(trx, Number(row.code));
        const batch = code.batch === null ? undefined : await batchById(trx, Number(code.batch));
        if (batch) await creditCertificate(trx, row, batch, ports);
      }
      return redemptionView(row, (await codeOf(trx, Number(row.code))).code);
    },
    { deadlockRetries: 5 },
  );
}

export async function findRedemption(
  db: Db,
  target: { id?: number; key?: string },
): Promise<DbPromotionRedemptionRow> {
  const found =
    target.id !== undefined
      ? await redemptionById(db, target.id)
      : target.key !== undefined
        ? await redemptionByKey(db, target.key)
        : undefined;
  if (!found)
    throw new NotFoundError(
      'redemption',
      `there is no redemption ${target.id !== undefined ? target.id : `with the key ${target.key ?? ''}`}`,
    );
  return found;
}

export async function codeOf(db: Db, id: number): Promise<{ code: string; batch: string | number | null }> {
  const row = await codeById(db, id);
  return row ? { code: row.code, batch: row.batch } : { code: '', batch: null };
}
