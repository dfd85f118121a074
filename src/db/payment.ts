/** The host's `payment` table, as the affiliate code reads it. */
import { CLIENT_PAYMENT } from '../host/facts';
import { PLUGIN_PAYMENTS_SQL } from './host-credit';
import type { Db } from './types';

/** [assumed] payment.status values of the fixture: 4 paid, 5 cancelled, 6 refunded. */
export const PAYMENT_STATUS = { paid: 4, cancelled: 5, refunded: 6 } as const;

/**
 * SQL true when the payment `p` is a paid invoice (src/domain/affiliate/definitions.ts): a client's payment for
 * services, paid, with a pay date and a positive amount, made through a payment method ([assumed] in
 * host/facts.ts CLIENT_PAYMENT), and not one the plugin had the core make: neither a recorded payment of the
 * host adapter's outbox nor one whose answer was lost (the same account and the credit's unique info text).
 */
export function paidInvoiceSql(p: string): string {
  return `(${p}.status = ${CLIENT_PAYMENT.status} AND ${p}.paydate IS NOT NULL AND ${p}.amount > 0
    ${CLIENT_PAYMENT.withPaymethod ? `AND ${p}.paymethod IS NOT NULL AND ${p}.paymethod <> ''` : ''}
    AND ${p}.id NOT IN (${PLUGIN_PAYMENTS_SQL})
    AND NOT EXISTS (SELECT 1 FROM bmp_host_credit hc WHERE hc.account = ${p}.account AND hc.info = ${p}.info))`;
}

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
