/**
 * The host adapter's credit outbox, as the discount run is given it: `enqueue` adds the credits a SELECT yields
 * (columns credit_key, account, project, amount_minor, currency, info, created_at, in that order), each key once,
 * in the caller's transaction; `pay` then makes every credit waiting through the core. Both are main's
 * `enqueueCredits` (src/db/host-credit.ts) and `payPendingCredits` (src/host/credit.ts) in production.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/types';

export interface DiscountCreditPorts {
  enqueue(db: Db, select: string, bindings: readonly Knex.RawBinding[]): Promise<void>;
  pay(db: Knex): Promise<unknown>;
}
