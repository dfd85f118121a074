/** bmp_affiliate_run: one row per monthly run, or per admin's apply; ledger entries carry its id. */
import type { Db } from '../types';
import { placeholders, selectRows } from './sql';
import { T, type DbAffiliateRunRow } from './tables';

export type NewRun = Pick<
  DbAffiliateRunRow,
  'period' | 'run_date' | 'started_at' | 'finished_at' | 'summary'
>;

/** A row already finished (an admin's apply, written in one transaction) is `finished`; any other is `running`. */
export async function insertRun(db: Db, row: NewRun): Promise<number> {
  const [id] = await db(T.run).insert({ ...row, status: row.finished_at === null ? 'running' : 'finished' });
  return Number(id);
}

export async function finishRun(
  db: Db,
  id: number,
  end: { finishedAt: string; summary: string; failedPartners: number },
): Promise<void> {
  await db(T.run).where({ id }).update({
    status: 'finished',
    finished_at: end.finishedAt,
    summary: end.summary,
    failed_partners: end.failedPartners,
  });
}

/** A run that stopped on an error it could not isolate: its record says so, and why. */
export async function failRun(db: Db, id: number, at: string, error: string): Promise<void> {
  await db(T.run)
    .where({ id })
    .update({ status: 'failed', finished_at: at, error: error.slice(0, 255) });
}

/**
 * Marks every other run still `running` as killed, found by run `by`, and returns them. Called under the monthly
 * run's named lock, which every running run holds: one still `running` then is one whose process died.
 */
export async function markKilledRuns(db: Db, by: number, at: string): Promise<DbAffiliateRunRow[]> {
  const found = (await db(T.run)
    .where({ status: 'running' })
    .whereNot({ id: by })
    .orderBy('id')) as DbAffiliateRunRow[];
  if (found.length === 0) return [];
  await db(T.run)
    .whereIn(
      'id',
      found.map((r) => r.id),
    )
    .where({ status: 'running' })
    .update({ status: 'killed', killed_found_at: at, killed_found_by: by });
  return found.map((r) => ({ ...r, status: 'killed', killed_found_at: at, killed_found_by: by }));
}

/** The latest runs, newest first. */
export async function latestRuns(db: Db, limit: number): Promise<DbAffiliateRunRow[]> {
  return (await db(T.run).orderBy('id', 'desc').limit(limit)) as DbAffiliateRunRow[];
}

export type RunTotalRow = { run: number; kind: string; currency: string; total: unknown; entries: unknown };

/** The runs' ledger entries summed per run, kind and currency (minor units), with how many there are. */
export async function totalsOfRuns(db: Db, runs: readonly number[]): Promise<RunTotalRow[]> {
  if (runs.length === 0) return [];
  return selectRows<RunTotalRow>(
    db,
    `SELECT run, kind, currency, SUM(amount_minor) AS total, COUNT(*) AS entries
       FROM ${T.ledger} WHERE run IN (${placeholders(runs)}) GROUP BY run, kind, currency ORDER BY run, kind, currency`,
    [...runs],
  );
}

/** A run's ledger entries summed per kind and currency (minor units), with how many there are. */
export async function runTotals(
  db: Db,
  run: number,
): Promise<Array<{ kind: string; currency: string; total: unknown; entries: unknown }>> {
  return totalsOfRuns(db, [run]);
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

/**
 * The run's `applied` entries of the partners larger than `maxMinor` (minor units): credits no host payment could
 * hold, refused before they reach the outbox.
 */
export async function appliedAbove(
  db: Db,
  run: number,
  affiliates: readonly number[],
  maxMinor: bigint,
): Promise<Array<{ affiliate: number; currency: string; amount_minor: unknown }>> {
  if (affiliates.length === 0) return [];
  return selectRows<{ affiliate: number; currency: string; amount_minor: unknown }>(
    db,
    `SELECT affiliate, currency, -amount_minor AS amount_minor FROM ${T.ledger}
      WHERE run = ? AND kind = 'applied' AND affiliate IN (${placeholders(affiliates)}) AND -amount_minor > CAST(? AS SIGNED)`,
    [run, ...affiliates, maxMinor.toString()],
  );
}
