/**
 * sql/migrations/20261202_0005_counter_daily_visit.ts on visits recorded one row per hit, on MariaDB and SQLite:
 * the rows of one partner, visitor and server-local day fold into the oldest (hits summed, a referral bound to a
 * folded row repointed), and the unique key then refuses a second row. The migration runs from the built code
 * (`npm run build` first) in a process whose time zone is New York, across the end of daylight saving time, so a
 * day is the server's and not UTC's.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { migrations } from '../../../sql/migrations';
import { knexConfigFromUrl } from '../../../src/db/connect';
import { projectPath } from '../../../src/paths';
import { serverUrl } from '../../support/mysql';

const THIS = '20261202_0005_counter_daily_visit';
/** The migrations before this one: the visit table as the counter used to fill it. */
const before: Knex.MigrationSource<string> = {
  getMigrations: async () =>
    Object.keys(migrations)
      .filter((name) => name < THIS)
      .sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name] as Knex.Migration,
};

/** Runs the plugin's remaining migrations (this one and later ones) in a process of its own whose time zone is `zone`. */
function migrateIn(zone: string, url: string): void {
  const script = `
    const { migrate } = require(${JSON.stringify(projectPath('dist/src/db/migrate.js'))});
    const { openDatabaseUrl } = require(${JSON.stringify(projectPath('dist/src/db/connect.js'))});
    const db = openDatabaseUrl(process.argv[1]);
    migrate(db, { hostFixture: false })
      .then((result) => { console.log(JSON.stringify(result)); return db.destroy(); })
      .catch((err) => { console.error(err); process.exitCode = 1; return db.destroy(); });`;
  const run = spawnSync(process.execPath, ['-e', script, url], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', TZ: zone },
    timeout: 60000,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  // This one and those after it (which other features add).
  const remaining = Object.keys(migrations)
    .filter((name) => name >= THIS)
    .sort();
  expect(JSON.parse(run.stdout)).toMatchObject({ migrationsApplied: remaining });
}

const VISITOR = 'a'.repeat(32);
const visit = (id: number, affiliate: number, visitedAt: string): Record<string, unknown> => ({
  id,
  affiliate,
  project: 1,
  visitor: VISITOR,
  referrer: `https://blog.example/${id}`,
  page: `https://provider.example/?from=${affiliate}`,
  ip: '203.0.113.9',
  visited_at: visitedAt,
});

/**
 * One row per hit, UTC. New York is UTC-4 until 2026-11-01 06:00 UTC, UTC-5 after: rows 1 to 3 are 2026-10-30
 * there (two of them at the same moment), 4 is 10-31 (the same UTC day as 1 to 3), 5 and 6 are both 11-01 (UTC
 * days apart, across the change), 7 is 11-02; 8 is the same visitor through another partner.
 */
const HISTORY = [
  visit(1, 1, '2026-10-31 03:30:00'),
  visit(2, 1, '2026-10-31 03:30:00'),
  visit(3, 1, '2026-10-31 03:59:59'),
  visit(4, 1, '2026-10-31 04:00:00'),
  visit(5, 1, '2026-11-01 04:30:00'),
  visit(6, 1, '2026-11-02 04:30:00'),
  visit(7, 1, '2026-11-02 05:30:00'),
  visit(8, 2, '2026-10-31 03:30:00'),
];

async function prepare(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource: before, tableName: 'bmp_migrations' });
  await db('bmp_affiliate_visit').insert(HISTORY);
  await db('bmp_affiliate_referral').insert([
    { affiliate: 1, account: 100, source: 'link', bound_at: '2026-11-02 06:00:00', visit: 6 },
    { affiliate: 1, account: 101, source: 'link', bound_at: '2026-11-02 06:00:00', visit: 4 },
    { affiliate: 1, account: 102, source: 'manual', bound_at: '2026-11-02 06:00:00', visit: null },
  ]);
}

async function expectFolded(db: Knex): Promise<void> {
  const rows = (await db('bmp_affiliate_visit')
    .orderBy('id')
    .select('id', 'affiliate', 'visit_day', 'hits', 'referrer', 'visited_at')) as Array<{
    id: number | string;
    visit_day: string;
    hits: number | string;
  }>;
  expect(
    rows.map((row) => ({
      ...row,
      id: Number(row.id),
      hits: Number(row.hits),
      visit_day: String(row.visit_day),
    })),
  ).toEqual([
    {
      id: 1,
      affiliate: 1,
      visit_day: '2026-10-30',
      hits: 3,
      referrer: 'https://blog.example/1',
      visited_at: '2026-10-31 03:30:00',
    },
    {
      id: 4,
      affiliate: 1,
      visit_day: '2026-10-31',
      hits: 1,
      referrer: 'https://blog.example/4',
      visited_at: '2026-10-31 04:00:00',
    },
    {
      id: 5,
      affiliate: 1,
      visit_day: '2026-11-01',
      hits: 2,
      referrer: 'https://blog.example/5',
      visited_at: '2026-11-01 04:30:00',
    },
    {
      id: 7,
      affiliate: 1,
      visit_day: '2026-11-02',
      hits: 1,
      referrer: 'https://blog.example/7',
      visited_at: '2026-11-02 05:30:00',
    },
    {
      id: 8,
      affiliate: 2,
      visit_day: '2026-10-30',
      hits: 1,
      referrer: 'https://blog.example/8',
      visited_at: '2026-10-31 03:30:00',
    },
  ]);
  // Every load of the history is still counted.
  const total = (await db('bmp_affiliate_visit').sum({ hits: 'hits' }).first()) as { hits: number | string };
  expect(Number(total.hits)).toBe(HISTORY.length);
  const referrals = (await db('bmp_affiliate_referral')
    .orderBy('account')
    .select('account', 'visit')) as Array<{
    account: number;
    visit: number | string | null;
  }>;
  expect(referrals.map((r) => [r.account, r.visit === null ? null : Number(r.visit)])).toEqual([
    [100, 5],
    [101, 4],
    [102, null],
  ]);
  await expect(
    db('bmp_affiliate_visit').insert({
      ...visit(9, 1, '2026-11-02 05:45:00'),
      visit_day: '2026-11-02',
    }),
  ).rejects.toThrow(/duplicate|unique/i);
}

describe('folding the visits recorded one row per hit', () => {
  it('on MariaDB', async () => {
    const server = new URL(serverUrl());
    const name = `bmp_test_${randomBytes(5).toString('hex')}`;
    const admin = knex(knexConfigFromUrl(server.toString()));
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    const url = new URL(server.toString());
    url.pathname = `/${name}`;
    const db = knex(knexConfigFromUrl(url.toString()));
    try {
      await prepare(db);
      migrateIn('America/New_York', url.toString());
      await expectFolded(db);
    } finally {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    }
  });

  it('on SQLite', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bmp-counter-migration-'));
    const url = `sqlite:${join(scratch, 'host.sqlite')}`;
    const db = knex(knexConfigFromUrl(url));
    try {
      await prepare(db);
      migrateIn('America/New_York', url);
      await expectFolded(db);
    } finally {
      await db.destroy();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
