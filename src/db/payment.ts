/** The host's `payment` table, as the affiliate code reads it. */
import type { Db } from './types';

/** [assumed] payment.status values of the fixture: 4 paid, 5 cancelled, 6 refunded. */
export const PAYMENT_STATUS = { paid: 4, cancelled: 5, refunded: 6 } as const;

/** The distinct payer identities of the accounts' payments. */
export async function payersOf(
  db: Db,
  accounts: readonly number[],
): Promise<Array<{ account: number; payer: string }>> {
  return (await db('payment')
    .whereIn('account', [...accounts])
    .whereNotNull('payer')
    .distinct('account', 'payer')) as Array<{ account: number; payer: string }>;
}
