/**
 * Promotion eligibility at scale: 100,000 clients, 1,000,000 expenses, 300,000 payments and 300,000 services on
 * MariaDB; a promotion with five conditions in two groups plus two ungrouped.
 *
 * - promotion_eligibility_100k_ratio_to_floor: the audience (set-based over pages of accounts, in a child process)
 *   over ONE hand-written SQL statement that applies the same filters and must give the same count (target <= 2).
 *   Each side is measured twice; the better time counts.
 * - The audience's memory for 10,000 and for 100,000 clients (the same data, a tenth of it), flat: the heap it
 *   retains, sampled at every page (target: ten times the clients, at most 1.2 times the heap), and beside it the
 *   peak RSS, which also holds the garbage V8 lets pile up in a longer run.
 * - promotion_check_one_client_ms: the single-client check (the one redemption uses), median of 25 clients.
 *
 * The data go into throwaway databases on the server of TEST_MYSQL_URL, filled with INSERT ... SELECT from
 * MariaDB's sequence tables, and dropped afterwards.
 */
import knex, { type Knex } from 'knex';
import { knexConfigFromUrl } from '../../src/db/connect';
import { migrate } from '../../src/db/migrate';
import { localDate, localDateTime } from '../../src/domain/dates';
import { daysBack } from '../../src/domain/promotion/calendar';
import { periodStart } from '../../src/domain/promotion/conditions/shared';
import type { Figure } from '../figure';
import {
  childJson,
  memoryFigures,
  RETAINED_HEAP_FLAGS,
  retainedHeapSampler,
  round,
  throwawayDatabase,
} from '../support';

export const CLIENTS = 100_000;
export const SMALL_CLIENTS = 10_000;
export const RATIO_TARGET = 2;
/** The figure's clock: server-local 2026-12-02 12:00:00. */
const NOW = new Date(2026, 11, 2, 12, 0, 0);

/** Two groups (three and two conditions) and two ungrouped conditions. */
const CONDITIONS: ReadonlyArray<{ code: string; group?: string; args: Record<string, string> }> = [
  { code: 'expenses_over_period', group: 'Spending', args: money('year', '10000') },
  { code: 'expenses_over_period', group: 'Spending', args: money('month', '1000') },
  { code: 'payments_over_period', group: 'Spending', args: money('year', '8000') },
  { code: 'service_count', group: 'Loyalty', args: { comparison: 'gt', count: '1' } },
  { code: 'client_groups', group: 'Loyalty', args: { groups: '1,2' } },
  { code: 'registration_period', args: { comparison: 'gt', periodType: 'month', length: '1' } },
  { code: 'first_service_period', args: { comparison: 'gt', periodType: 'day', length: '30' } },
];

function money(periodType: string, amount: string): Record<string, string> {
  return { comparison: 'gt', periodType, length: '1', amount, currency: 'RUB' };
}

/** The same eligible set in one statement: every filter the conditions apply, with the same boundaries. */
export function floorSql(): { sql: string; bindings: string[] } {
  const now = localDateTime(NOW);
  const today = localDate(NOW);
  const yearFrom = periodStart(now, 'year', 1);
  const monthFrom = periodStart(now, 'month', 1);
  return {
    sql: `
      SELECT COUNT(*) AS eligible
        FROM account a
        LEFT JOIN (SELECT account,
                          SUM(CASE WHEN realdate >= ? THEN amount ELSE 0 END) AS year_total,
                          SUM(CASE WHEN realdate >= ? THEN amount ELSE 0 END) AS month_total
                     FROM expense
                    WHERE realdate >= ? AND realdate <= ? AND currency = 1 AND project = 1
                    GROUP BY account) e ON e.account = a.id
        LEFT JOIN (SELECT account, SUM(amount) AS total
                     FROM payment
                    WHERE paydate >= ? AND paydate <= ? AND currency = 1 AND project = 1 AND status = 4
                    GROUP BY account) p ON p.account = a.id
        LEFT JOIN (SELECT account, SUM(CASE WHEN status IN (2, 3, 5) THEN 1 ELSE 0 END) AS live,
                          MIN(COALESCE(createdate, opendate)) AS first_service
                     FROM item WHERE parent IS NULL GROUP BY account) i ON i.account = a.id
       WHERE a.registration_date < ?
         AND COALESCE(i.first_service, ?) < ?
         AND (COALESCE(e.year_total, 0) > 10000 OR COALESCE(e.month_total, 0) > 1000 OR COALESCE(p.total, 0) > 8000)
         AND (COALESCE(i.live, 0) > 1
              OR EXISTS (SELECT 1 FROM account2group g WHERE g.account = a.id AND g.accountgroup IN (1, 2)))`,
    bindings: [
      yearFrom,
      monthFrom,
      yearFrom,
      now,
      yearFrom,
      now,
      daysBack(today, 'month', 1),
      today,
      daysBack(today, 'day', 30),
    ],
  };
}

export async function measure(): Promise<Figure[]> {
  const server = process.env.TEST_MYSQL_URL;
  if (!server) throw new Error('TEST_MYSQL_URL is not set: run through `npm run bench`');
  const big = await throwawayDatabase(server);
  const small = await throwawayDatabase(server);
  try {
    const db = knex(knexConfigFromUrl(big.url));
    const smallDb = knex(knexConfigFromUrl(small.url));
    try {
      const promotion = await prepare(db, CLIENTS);
      await prepare(smallDb, SMALL_CLIENTS);
      const floor = floorSql();
      const baseline = async (): Promise<{ ms: number; count: number }> => {
        const started = process.hrtime.bigint();
        const [rows] = (await db.raw(floor.sql, floor.bindings)) as unknown as [Array<{ eligible: unknown }>];
        return {
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          count: Number(String(rows[0]?.eligible)),
        };
      };
      await baseline(); // warm the buffer pool for both sides alike
      const floorRuns = [await baseline()];
      const runs = [await runInChild(big.url, promotion)];
      floorRuns.push(await baseline());
      runs.push(await runInChild(big.url, promotion));
      const smallRun = await runInChild(small.url, promotion);
      const count = runs[0]?.count ?? -1;
      if (floorRuns.some((r) => r.count !== count) || runs.some((r) => r.count !== count)) {
        throw new Error(
          `the audience (${runs.map((r) => r.count).join(', ')}) and the floor SQL (${floorRuns.map((r) => r.count).join(', ')}) disagree`,
        );
      }
      if (count === 0 || count === CLIENTS)
        throw new Error(`the promotion does not split the clients (${count})`);
      const audienceMs = Math.min(...runs.map((r) => r.ms));
      const floorMs = Math.min(...floorRuns.map((r) => r.ms));
      const memory = {
        bigRssMb: Math.max(...runs.map((r) => r.maxRssKb)) / 1024,
        smallRssMb: smallRun.maxRssKb / 1024,
        bigHeapMb: Math.max(...runs.map((r) => r.retainedHeapMb)),
        smallHeapMb: smallRun.retainedHeapMb,
      };
      const checkMs = await checkOneClient(db, promotion);
      return [
        {
          name: 'promotion_eligibility_100k_ratio_to_floor',
          value: round(audienceMs / floorMs, 2),
          unit: 'ratio',
          target: RATIO_TARGET,
        },
        { name: 'promotion_audience_100k_ms', value: round(audienceMs, 0), unit: 'ms' },
        { name: 'promotion_floor_sql_100k_ms', value: round(floorMs, 0), unit: 'ms' },
        { name: 'promotion_audience_100k_eligible', value: count, unit: 'clients' },
        ...memoryFigures(
          'promotion_audience',
          { small: '10k_clients', big: '100k_clients', rows: 'clients' },
          memory,
        ),
        { name: 'promotion_check_one_client_ms', value: round(checkMs, 1), unit: 'ms' },
      ];
    } finally {
      await db.destroy();
      await smallDb.destroy();
    }
  } finally {
    await big.drop();
    await small.drop();
  }
}

/** Fills a database with `clients` clients and ten expenses, three payments and three services each. */
export async function prepare(db: Knex, clients: number): Promise<number> {
  await migrate(db, { hostFixture: true });
  const now = localDateTime(NOW);
  await db.raw(
    `INSERT INTO currency (id, name, iso, code) VALUES (1, 'Rouble', 'RUB', 643), (2, 'Dollar', 'USD', 840)`,
  );
  await db.raw(
    `INSERT INTO account (id, project, name, email, registration_date, balance, currency)
     SELECT seq, 1, CONCAT('Client ', seq), CONCAT('c', seq, '@example.com'),
            ? - INTERVAL (seq % 900) DAY, 0, 1
       FROM seq_1_to_${clients}`,
    [now],
  );
  await db.raw(
    `INSERT INTO expense (account, item, project, amount, currency, realdate)
     SELECT 1 + seq % ${clients}, NULL, IF(seq % 7 = 0, 2, 1), 1 + (seq % 3000), IF(seq % 10 = 0, 2, 1),
            ? - INTERVAL (seq % 400) DAY - INTERVAL (seq % 86400) SECOND
       FROM seq_1_to_${clients * 10}`,
    [now],
  );
  await db.raw(
    `INSERT INTO payment (account, project, amount, currency, status, createdate, paydate)
     SELECT 1 + seq % ${clients}, 1, 1 + (seq % 7000), IF(seq % 9 = 0, 2, 1), ELT(1 + seq % 4, 4, 4, 1, 5),
            ? - INTERVAL (seq % 400) DAY, ? - INTERVAL (seq % 400) DAY
       FROM seq_1_to_${clients * 3}`,
    [now, now],
  );
  await db.raw(
    `INSERT INTO item (account, pricelist, period, currency, status, createdate, opendate, expiredate)
     SELECT 1 + (seq * 7) % ${clients}, 1 + seq % 3, 1, 1, 1 + (seq * 3) % 5,
            DATE(?) - INTERVAL (seq % 700) DAY, DATE(?) - INTERVAL (seq % 700) DAY, DATE(?) + INTERVAL (seq % 365) DAY
       FROM seq_1_to_${clients * 3}`,
    [now, now, now],
  );
  await db.raw(
    `INSERT INTO account2group (account, accountgroup) SELECT seq, 1 + seq % 3 FROM seq_1_to_${clients} WHERE seq % 4 = 0`,
  );
  await db.raw('ANALYZE TABLE account, expense, payment, item, account2group');
  const { createPromotion } = await import('../../src/promotions/promotions');
  const { addCondition } = await import('../../src/promotions/conditions');
  const promotion = await createPromotion(
    db,
    { internalName: 'bench', clientName: 'Bench promotion', kind: 'discount', startsAt: '2026-12-01' },
    NOW,
  );
  for (const c of CONDITIONS) {
    await addCondition(
      db,
      promotion.id,
      { code: c.code, args: c.args, ...(c.group ? { group: c.group } : {}) },
      NOW,
    );
  }
  return promotion.id;
}

async function checkOneClient(db: Knex, promotion: number): Promise<number> {
  const { checkAccount } = await import('../../src/promotions/eligibility');
  const times: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    const account = 1 + ((i * 3929) % CLIENTS);
    const started = process.hrtime.bigint();
    await checkAccount(db, promotion, account, { now: NOW });
    if (i >= 5) times.push(Number(process.hrtime.bigint() - started) / 1e6); // five warm-up checks
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

interface ChildResult {
  ms: number;
  maxRssKb: number;
  retainedHeapMb: number;
  count: number;
}

/** Runs this module as a child process that evaluates the audience once and reports its time and memory. */
function runInChild(url: string, promotion: number): Promise<ChildResult> {
  return childJson<ChildResult>(__filename, [url, String(promotion)], 'audience', RETAINED_HEAP_FLAGS);
}

async function child(url: string, promotion: number): Promise<void> {
  const { audience } = await import('../../src/promotions/eligibility');
  const db = knex(knexConfigFromUrl(url));
  try {
    const heap = retainedHeapSampler();
    const started = process.hrtime.bigint();
    // Called with a page's facts still at hand: a sample sees the audience at work.
    const { count } = await audience(db, promotion, { now: NOW, onEligible: () => heap.sample() });
    const ms = Number(process.hrtime.bigint() - started) / 1e6 - heap.ms;
    const retainedHeapMb = heap.maxMb;
    process.stdout.write(
      JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, retainedHeapMb, count }),
    );
  } finally {
    await db.destroy();
  }
}

if (require.main === module && process.argv[2] === '--child') {
  const [, , , url, promotion] = process.argv;
  child(url ?? '', Number(promotion)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
