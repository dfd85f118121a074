/** bmp_affiliate_run: one row per monthly run, or per admin's apply; ledger entries carry its id. */
import type { Db } from '../types';
import { selectRows } from './sql';
import { T, type DbAffiliateRunRow } from './tables';

export async function insertRun(db: Db, row: Omit<DbAffiliateRunRow, 'id'>): Promise<number> {
  const [id] = await db(T.run).insert(row);
  return Number(id);
}

export async function finishRun(db: Db, id: number, finishedAt: string, summary: string): Promise<void> {
  await db(T.run).where({ id }).update({ finished_at: finishedAt, summary });
}

/** A run's ledger entries summed per kind and currency (minor units), with how many there are. */
export async function runTotals(
  db: Db,
  run: number,
): Promise<Array<{ kind: string; currency: string; total: unknown; entries: unknown }>> {
  return selectRows<{ kind: string; currency: string; total: unknown; entries: unknown }>(
    db,
    `SELECT kind, currency, SUM(amount_minor) AS total, COUNT(*) AS entries
       FROM ${T.ledger} WHERE run = ? GROUP BY kind, currency ORDER BY kind, currency`,
    [run],
  );
}

/** How many partners got an earned or reversed entry in the run. */
export async function rewardedPartnersOfRun(db: Db, run: number): Promise<number> {
  const [rewarded] = await selectRows<{ partners: unknown }>(
    db,
    `SELECT COUNT(DISTINCT affiliate) AS partners FROM ${T.ledger} WHERE run = ? AND kind IN ('earned', 'reversed')`,
    [run],
  );
  return Number(rewarded?.partners ?? 0);
}
