/** The host stand-in as the core that credits accounts, in-process: what the affiliate tests pay through. */
import type { Knex } from 'knex';
import { createInProcessMgrctl } from '../../src/host-standin/in-process';
import type { Mgrctl } from '../../src/contract/mgrctl';

export function standinCore(
  db: Knex,
  clock: () => Date = () => new Date(),
): { mgrctl: Mgrctl; concurrency: number } {
  return { mgrctl: createInProcessMgrctl(db, {}, clock), concurrency: 4 };
}
