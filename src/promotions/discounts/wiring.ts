/**
 * The production credit ports of the discount run: the host adapter's credit outbox. A discounted share joins
 * `bmp_host_credit` in the run's own transaction (enqueueCredits) and is made through the core afterwards
 * (payPendingCredits), as every credit of the plugin is.
 */
import type { Mgrctl } from '../../contract/mgrctl';
import { enqueueCredits } from '../../db/host-credit';
import { payPendingCredits } from '../../host/credit';
import type { DiscountCreditPorts } from './ports';

export function productionCreditPorts(
  core: { mgrctl: Mgrctl; concurrency: number },
  now: () => Date,
): DiscountCreditPorts {
  return {
    enqueue: enqueueCredits,
    pay: (db) => payPendingCredits(db, core.mgrctl, { concurrency: core.concurrency, now }),
  };
}
