/**
 * affiliatemonthly at scale: 10,000 partners, 100,000 referrals and 1,000,000 expense rows on MariaDB.
 *
 * - Time: the run for the month of the 1,000,000 expenses, over ONE set-based SQL statement computing the same
 *   per-partner totals (target: at most 2). Each side is measured twice; the better time counts.
 * - Memory: the run's peak RSS in a child process, for a month of 100,000 expense rows and for the month of
 *   1,000,000 rows, with the same partners and referrals: it should not grow with the rows. It is read when the
 *   run has finished; the process's peak after crediting through the in-process stand-in (whose core work runs in
 *   the same process, where a real host's runs in the core) is a figure of its own.
 *
 * The data go into a throwaway database on the server of TEST_MYSQL_URL, filled with INSERT ... SELECT from
 * MariaDB's sequence tables, and dropped afterwards.
 */
import knex, { type Knex } from 'knex';
import { knexConfigFromUrl } from '../../src/db/connect';
import { migrate } from '../../src/db/migrate';
import type { Figure } from '../figure';
import { childJson, round, throwawayDatabase, timed } from '../support';

export const PARTNERS = 10_000;
export const REFERRALS = 100_000;
export const BIG_MONTH_EXPENSES = 1_000_000;
export const SMALL_MONTH_EXPENSES = 100_000;
export const RATIO_TARGET = 2;

/** October 2026 holds the big month (paid by a run dated 2026-11-01), September the small one. */
const BIG = { date: '2026-11-01', period: '2026-10', start: '2026-10-01' };
const SMALL = { date: '2026-10-01', period: '2026-09', start: '2026-09-01' };

export async function measure(): Promise<Figure[]> {
  const server = process.env.TEST_MYSQL_URL;
  if (!server) throw new Error('TEST_MYSQL_URL is not set: run through `npm run bench`');
  const { url, drop } = await throwawayDatabase(server);
  try {
    const db = knex(knexConfigFromUrl(url));
    try {
      await migrate(db, { hostFixture: true });
      await fill(db);
      const baseline = async (): Promise<number> =>
        timed(() => db.raw(BASELINE_SQL, [BIG.start, nextMonth(BIG.start)]));
      await baseline(); // warm the buffer pool for both sides alike
      const small = await runInChild(url, SMALL.date);
      const baselineMs = [await baseline()];
      const big = [await runInChild(url, BIG.date)];
      await forgetPaidMonth(db, BIG.period);
      baselineMs.push(await baseline());
      big.push(await runInChild(url, BIG.date));
      const runMs = Math.min(...big.map((r) => r.ms));
      const sqlMs = Math.min(...baselineMs);
      const bigRss = Math.max(...big.map((r) => r.runRssKb)) / 1024;
      const smallRss = small.runRssKb / 1024;
      const withCreditRss = Math.max(...big.map((r) => r.maxRssKb)) / 1024;
      return [
        {
          name: 'affiliate_monthly_vs_one_sql_ratio',
          value: round(runMs / sqlMs, 2),
          unit: 'ratio',
          target: RATIO_TARGET,
        },
        { name: 'affiliate_monthly_ms', value: round(runMs, 0), unit: 'ms' },
        {
          name: 'affiliate_credit_per_1000_in_process_ms',
          value: round(
            (Math.min(...big.map((r) => r.creditMs)) * 1000) / Math.max(1, big[0]?.credited ?? 1),
            0,
          ),
          unit: 'ms',
        },
        { name: 'affiliate_one_sql_ms', value: round(sqlMs, 0), unit: 'ms' },
        { name: 'affiliate_monthly_peak_rss_100k_expenses', value: round(smallRss, 1), unit: 'MB' },
        { name: 'affiliate_monthly_peak_rss_1m_expenses', value: round(bigRss, 1), unit: 'MB' },
        {
          name: 'affiliate_monthly_and_in_process_credit_peak_rss_1m_expenses',
          value: round(withCreditRss, 1),
          unit: 'MB',
        },
        {
          name: 'affiliate_monthly_rss_growth_10x_rows',
          value: round(bigRss / smallRss, 2),
          unit: 'ratio',
          target: 1.2,
        },
      ];
    } finally {
      await db.destroy();
    }
  } finally {
    await drop();
  }
}

/**
 * The same per-partner totals as the run's reward on expenses, in one statement, with every filter the run
 * applies: active partners of active programs, the program's client group and forbidden group, active referrals
 * inside their referral period, the month, and the totals per currency.
 */
const BASELINE_SQL = `
  SELECT r.affiliate, c.iso, SUM(e.amount) * p.reward_percent / 100 AS reward
    FROM bmp_affiliate_referral r
    JOIN bmp_affiliate a ON a.id = r.affiliate AND a.active = 1
    JOIN bmp_affiliate_program p ON p.id = a.program AND p.active = 1
    JOIN expense e ON e.account = r.account
    JOIN currency c ON c.id = e.currency
   WHERE r.status = 'active' AND e.realdate >= ? AND e.realdate < ?
     AND e.realdate >= r.bound_at AND (r.reward_until IS NULL OR e.realdate < r.reward_until)
     AND (p.client_group IS NULL OR EXISTS (SELECT 1 FROM account2group g
                                            WHERE g.account = a.account AND g.accountgroup = p.client_group))
     AND (p.forbidden_group IS NULL OR NOT EXISTS (SELECT 1 FROM account2group g
                                                  WHERE g.account = a.account AND g.accountgroup = p.forbidden_group))
   GROUP BY r.affiliate, c.iso, p.reward_percent`;

export async function fill(db: Knex): Promise<void> {
  const referralAccount0 = PARTNERS;
  await db.raw(
    `INSERT INTO currency (id, name, iso, code, active) VALUES (1, 'US dollar', 'USD', 840, 'on')`,
  );
  await db.raw(
    `INSERT INTO bmp_affiliate_program (id, project, name, promocode_template, reward_percent, referral_months,
            website_url, active, created_at)
     VALUES (1, 1, 'Bench', 'B@ID@', 10, 0, 'https://provider.example/', 1, '2026-01-01 00:00:00')`,
  );
  await db.raw(
    `INSERT INTO account (id, project, name, email, balance, currency, account_type)
     SELECT seq, 1, CONCAT('Account ', seq), CONCAT('a', seq, '@example.com'), 0, 1,
            ELT(1 + seq % 3, 'business', 'residential', NULL)
       FROM seq_1_to_${PARTNERS + REFERRALS}`,
  );
  await db.raw(
    `INSERT INTO bmp_affiliate (id, program, account, promocode, active, created_at)
     SELECT seq, 1, seq, CONCAT('B', seq), 1, '2026-01-01 00:00:00' FROM seq_1_to_${PARTNERS}`,
  );
  await db.raw(
    `INSERT INTO bmp_affiliate_referral (affiliate, account, source, bound_at, reward_until, status)
     SELECT 1 + seq % ${PARTNERS}, ${referralAccount0} + seq, 'link', '2026-01-01 00:00:00', NULL, 'active'
       FROM seq_1_to_${REFERRALS}`,
  );
  for (const [month, rows] of [
    [BIG.start, BIG_MONTH_EXPENSES],
    [SMALL.start, SMALL_MONTH_EXPENSES],
  ] as const) {
    await db.raw(
      `INSERT INTO expense (account, item, project, amount, currency, realdate)
       SELECT ${referralAccount0 + 1} + seq % ${REFERRALS}, seq, 1, 1 + (seq % 997) / 100, 1,
              ? + INTERVAL (seq % 29) DAY + INTERVAL (seq % 86400) SECOND
         FROM seq_1_to_${rows}`,
      [`${month} 00:00:00`],
    );
  }
  await db.raw('ANALYZE TABLE expense, bmp_affiliate_referral, bmp_affiliate, account');
}

/** Takes back what a run paid for `period`, so that the run can be timed again on the same data. */
async function forgetPaidMonth(db: Knex, period: string): Promise<void> {
  await db.raw(`DELETE FROM payment WHERE info LIKE ?`, [`Affiliate reward ${period}%`]);
  await db.raw(`DELETE FROM bmp_host_credit WHERE info LIKE ?`, [`Affiliate reward ${period}%`]);
  await db.raw(`DELETE FROM bmp_affiliate_ledger WHERE period = ?`, [period]);
  await db.raw(`UPDATE account SET balance = 0 WHERE id <= ?`, [PARTNERS]);
}

interface ChildResult {
  ms: number;
  /** Crediting the run's partners through the in-process host stand-in, after the run. */
  creditMs: number;
  credited: number;
  /** The process's peak RSS when the run had finished, before crediting. */
  runRssKb: number;
  /** ... and after crediting through the in-process stand-in (which does the core's work in this process too). */
  maxRssKb: number;
  payments: number;
}

/** Runs this module as a child process that runs affiliatemonthly once and reports its time and peak RSS. */
async function runInChild(url: string, date: string): Promise<ChildResult> {
  const result = await childJson<ChildResult>(__filename, [url, date], 'affiliatemonthly');
  if (result.payments < PARTNERS)
    throw new Error(`the run paid ${result.payments} partners, not ${PARTNERS}`);
  return result;
}

async function child(url: string, date: string): Promise<void> {
  const [{ runAffiliateMonthly }, { payPendingCredits }, { createInProcessMgrctl }] = await Promise.all([
    import('../../src/affiliate/monthly'),
    import('../../src/host/credit'),
    import('../../src/host-standin/in-process'),
  ]);
  const db = knex(knexConfigFromUrl(url));
  try {
    const started = process.hrtime.bigint();
    const now = new Date(`${date}T01:00:00Z`);
    const summary = await runAffiliateMonthly(db, { date, now });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const runRssKb = process.resourceUsage().maxRSS;
    // The run leaves its credits in the host adapter's outbox; crediting them through the core is measured on its
    // own, in-process (a real host spawns mgrctl twice per credit, which no SQL baseline has to do).
    const creditStarted = process.hrtime.bigint();
    const credits = await payPendingCredits(
      db,
      createInProcessMgrctl(db, {}, () => now),
      {
        concurrency: 4,
        now: () => now,
      },
    );
    const creditMs = Number(process.hrtime.bigint() - creditStarted) / 1e6;
    if (credits.failed.length > 0) throw new Error(`credits failed: ${JSON.stringify(credits.failed[0])}`);
    process.stdout.write(
      JSON.stringify({
        ms,
        creditMs,
        credited: credits.credited,
        runRssKb,
        maxRssKb: process.resourceUsage().maxRSS,
        payments: summary.payments,
      }),
    );
  } finally {
    await db.destroy();
  }
}

function nextMonth(start: string): string {
  const [year, month] = start.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

if (require.main === module && process.argv[2] === '--child') {
  const [, , , url, date] = process.argv;
  child(url ?? '', date ?? '').catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
