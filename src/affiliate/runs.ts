/** The history of affiliate runs (`billmgr-plugin affiliate runs`): each run's state and what it committed. */
import { latestRuns, totalsOfRuns } from '../db/affiliate/runs';
import type { RunStatus } from '../db/affiliate/tables';
import type { Db } from '../db/types';
import { totalsOf, type PartnerFailure, type RunTotals } from './monthly';

export interface RunRecord extends RunTotals {
  run: number;
  /** A monthly run, or an admin's `affiliate apply`. */
  kind: 'monthly' | 'apply';
  period: string;
  runDate: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  /** When a later run found this one unfinished, and which. */
  killedFoundAt: string | null;
  killedFoundBy: number | null;
  failedPartners: PartnerFailure[];
  error: string | null;
}

/** The latest `limit` runs, newest first; totals are the run's own ledger entries, so a killed run's too. */
export async function runHistory(db: Db, limit: number): Promise<RunRecord[]> {
  const rows = await latestRuns(db, limit);
  const totals = await totalsOfRuns(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const summary = parseSummary(row.summary);
    return {
      run: row.id,
      kind: summary.applyNow !== undefined ? 'apply' : 'monthly',
      period: row.period,
      runDate: String(row.run_date).slice(0, 10),
      status: row.status,
      startedAt: String(row.started_at),
      finishedAt: row.finished_at === null ? null : String(row.finished_at),
      killedFoundAt: row.killed_found_at === null ? null : String(row.killed_found_at),
      killedFoundBy: row.killed_found_by,
      ...totalsOf(totals.filter((t) => Number(t.run) === row.id)),
      failedPartners: summary.failedPartners ?? [],
      error: row.error,
    };
  });
}

function parseSummary(text: string | null): { applyNow?: number; failedPartners?: PartnerFailure[] } {
  if (text === null) return {};
  try {
    return JSON.parse(text) as { applyNow?: number; failedPartners?: PartnerFailure[] };
  } catch {
    return {};
  }
}
