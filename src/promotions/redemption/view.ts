/** A redemption as the CLI and the panel's handlers show it: amounts as decimal strings with their currency. */
import { money, toMajorString } from '../../domain/money';
import type { DbPromotionRedemptionRow } from '../../db/promotion/redemption';

export interface RedemptionView {
  id: number;
  key: string;
  promotion: number;
  code: string;
  account: number;
  status: 'reserved' | 'committed' | 'released';
  orderRef: string | null;
  /** Certificates: the amount credited, "25.00". */
  amount: string | null;
  currency: string | null;
  basedOnPayment: number | null;
  reservedAt: string;
  holdUntil: string | null;
  committedAt: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
}

export function redemptionView(row: DbPromotionRedemptionRow, code: string): RedemptionView {
  return {
    id: Number(row.id),
    key: row.idempotency_key,
    promotion: Number(row.promotion),
    code,
    account: Number(row.account),
    status: row.status,
    orderRef: row.order_ref,
    amount:
      row.amount_minor === null || row.currency === null
        ? null
        : toMajorString(money(BigInt(String(row.amount_minor)), row.currency)),
    currency: row.currency,
    basedOnPayment: row.based_on_payment === null ? null : Number(row.based_on_payment),
    reservedAt: row.reserved_at,
    holdUntil: row.hold_until,
    committedAt: row.committed_at,
    releasedAt: row.released_at,
    releaseReason: row.release_reason,
  };
}
