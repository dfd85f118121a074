/**
 * The counter's queries: the partner a link names, and bmp_affiliate_visit, one row per partner, visitor and
 * server-local day (sql/migrations/20261202_0005_counter_daily_visit.ts) whose `hits` count the loads that day.
 * Visits are rows, hits are their sum.
 */
import { withTransaction } from '../transaction';
import type { Db } from '../types';

export const VISIT_TABLE = 'bmp_affiliate_visit';
const AFFILIATE_TABLE = 'bmp_affiliate';
const PROGRAM_TABLE = 'bmp_affiliate_program';
/** The unique key one day's hits of a visitor through one partner's link share. */
export const VISIT_DAILY_KEY = ['affiliate', 'visitor', 'visit_day'] as const;

export interface DbAffiliateVisitRow {
  id: string | number;
  affiliate: number;
  project: number | null;
  visitor: string;
  referrer: string | null;
  page: string | null;
  ip: string | null;
  /** The first hit of the day, UTC. */
  visited_at: string;
  /** Server-local `YYYY-MM-DD`. */
  visit_day: string;
  hits: number;
}

/** What the counter needs of the partner a link names. */
export interface CounterPartner {
  active: boolean;
  programActive: boolean;
  project: number;
}

export async function findCounterPartner(db: Db, affiliate: number): Promise<CounterPartner | undefined> {
  const row = (await db(AFFILIATE_TABLE)
    .join(PROGRAM_TABLE, `${PROGRAM_TABLE}.id`, `${AFFILIATE_TABLE}.program`)
    .where(`${AFFILIATE_TABLE}.id`, affiliate)
    .first(
      `${AFFILIATE_TABLE}.active`,
      `${PROGRAM_TABLE}.active as program_active`,
      `${PROGRAM_TABLE}.project`,
    )) as
    { active: number | boolean; program_active: number | boolean; project: number | string } | undefined;
  if (!row) return undefined;
  return { active: flag(row.active), programActive: flag(row.program_active), project: Number(row.project) };
}

export type NewVisit = Omit<DbAffiliateVisitRow, 'id' | 'hits'>;

/**
 * Records one hit: the day's first hit of this visitor through this partner's link makes the row, every later one
 * adds a hit to it (referrer, page, ip and time stay those of the first). One statement on the unique key, so two
 * first hits at once still make one row; a deadlock between such statements is retried.
 */
export async function recordVisitHit(db: Db, visit: NewVisit): Promise<void> {
  await withTransaction(
    db,
    async (trx) => {
      await trx(VISIT_TABLE)
        .insert({ ...visit, hits: 1 })
        .onConflict([...VISIT_DAILY_KEY])
        .merge({ hits: trx.raw('?? + 1', [`${VISIT_TABLE}.hits`]) });
    },
    { deadlockRetries: 3 },
  );
}

export interface VisitTotals {
  /** Visitor-days: rows. */
  visits: number;
  /** Counter loads: the rows' hits summed. */
  hits: number;
}

/** Visits and hits of each partner asked for (a partner without visits has zeros). */
export async function visitTotals(db: Db, affiliates: readonly number[]): Promise<Map<number, VisitTotals>> {
  const totals = new Map<number, VisitTotals>(affiliates.map((id) => [id, { visits: 0, hits: 0 }]));
  if (affiliates.length === 0) return totals;
  const rows = (await db(VISIT_TABLE)
    .whereIn('affiliate', [...affiliates])
    .groupBy('affiliate')
    .select('affiliate')
    .count({ visits: '*' })
    .sum({ hits: 'hits' })) as Array<{ affiliate: number; visits: number | string; hits: number | string }>;
  for (const row of rows) {
    totals.set(Number(row.affiliate), { visits: Number(row.visits), hits: Number(row.hits) });
  }
  return totals;
}

/** One partner's visit rows, oldest first. */
export async function visitsOf(db: Db, affiliate: number): Promise<DbAffiliateVisitRow[]> {
  const rows = (await db(VISIT_TABLE).where({ affiliate }).orderBy('id')) as DbAffiliateVisitRow[];
  return rows.map((row) => ({
    ...row,
    visit_day: String(row.visit_day).slice(0, 10),
    hits: Number(row.hits),
  }));
}

function flag(value: number | boolean | string): boolean {
  return value === true || value === 1 || value === '1';
}
