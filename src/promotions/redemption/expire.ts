/**
 * The end of a certificate's validity term: the funds it credited and the client did not spend are taken back by
 * an `expiry` entry of their own (the credit is never edited), carried out by the host's credit function with a
 * negative amount. Idempotent by the entry's source (`credit:<id>`): safe from cron and twice at once.
 *
 * [assumed] What was spent: the account's expenses in the credit's currency between the credit and the end of
 * its term, certificate funds being spent before the client's own. Two certificates whose terms overlap both
 * count the same expenses; the host keeps no record of which funds paid an expense.
 */
import type { Knex } from 'knex';
import { formatDateTime } from '../../domain/dates';
import { formatMoney, money, parseMoney, sum } from '../../domain/money';
import {
  addEntryOnce,
  creditsEnded,
  entryBySource,
  expenseAmounts,
  setEntryPayment,
  type DbPromotionLedgerRow,
} from '../../db/promotion/ledger';
import { promotionTerms } from '../../db/promotion/redemption';
import { withTransaction } from '../../db/transaction';
import type { RedemptionPorts } from './ports';

export interface ExpiryResult {
  /** Credits whose term ended and were settled now. */
  settled: number;
  /** Of those, how many had funds left to take back. */
  takenBack: number;
}

export async function expireCredits(
  db: Knex,
  ports: Pick<RedemptionPorts, 'credit' | 'now'>,
): Promise<ExpiryResult> {
  const result: ExpiryResult = { settled: 0, takenBack: 0 };
  const now = formatDateTime(ports.now);
  for (;;) {
    const page = await creditsEnded(db, now, 200);
    for (const credit of page) {
      const outcome = await withTransaction(db, async (trx) => {
        const credited = money(BigInt(String(credit.amount_minor)), credit.currency);
        const spent = sum(
          (
            await expenseAmounts(
              trx,
              credit.account,
              credit.currency,
              credit.created_at,
              credit.valid_until ?? now,
            )
          ).map((amount) => parseMoney(amount, credit.currency)),
          credit.currency,
        );
        const left = credited.minor > spent.minor ? credited.minor - spent.minor : 0n;
        const source = `credit:${credit.id}`;
        const added = await addEntryOnce(trx, {
          account: credit.account,
          promotion: credit.promotion,
          redemption: credit.redemption,
          kind: 'expiry',
          source,
          amount_minor: (-left).toString(),
          currency: credit.currency,
          valid_until: null,
          created_at: now,
        });
        if (!added || left === 0n) return { added, takenBack: false };
        const entry = (await entryBySource(trx, 'expiry', source)) as DbPromotionLedgerRow;
        const amount = money(-left, credit.currency);
        const { payment } = await ports.credit(trx, {
          account: credit.account,
          project: (await promotionTerms(trx, credit.promotion))?.project ?? 1,
          amount,
          source: `ledger:${entry.id}`,
          info: `Certificate funds expired: ${formatMoney(money(left, credit.currency))} unspent, promotion ledger #${entry.id}`,
        });
        if (payment !== null) await setEntryPayment(trx, Number(entry.id), payment);
        return { added, takenBack: true };
      });
      if (outcome.added) result.settled += 1;
      if (outcome.takenBack) result.takenBack += 1;
    }
    if (page.length < 200) return result;
  }
}
