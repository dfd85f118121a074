/**
 * The monthly run in the server's local time, east and west of UTC: cron starts it at 03:00 on the server's 1st,
 * and it pays for the month just ended there (issue 10: east of UTC+3 it paid the month before last).
 * The run is the built code (`npm run build` first) in a node process of its own with TZ set, as on the server.
 */
import { spawnSync } from 'node:child_process';
import { projectPath } from '../../../src/paths';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { AffiliateWorld } from './world';

/** Runs `runAffiliateMonthly` at `now` in a process whose time zone is `zone`; its summary, or its error. */
function runIn(
  zone: string,
  now: string,
  options: { date?: string; dryRun?: boolean } = {},
): Record<string, unknown> {
  const script = `
    const { runAffiliateMonthly } = require(${JSON.stringify(projectPath('dist/src/affiliate/monthly.js'))});
    const { localDateTime } = require(${JSON.stringify(projectPath('dist/src/domain/dates.js'))});
    const { openDatabaseUrl } = require(${JSON.stringify(projectPath('dist/src/db/connect.js'))});
    const { createInProcessMgrctl } = require(${JSON.stringify(projectPath('dist/src/host-standin/in-process.js'))});
    const db = openDatabaseUrl(process.argv[1]);
    const now = new Date(process.argv[2]);
    const core = { mgrctl: createInProcessMgrctl(db, {}, () => now), concurrency: 4 };
    runAffiliateMonthly(db, { ...JSON.parse(process.argv[3]), now, core })
      .then((summary) => ({ local: localDateTime(now), summary }), (err) => ({ local: localDateTime(now), error: err.name }))
      .then((out) => { console.log(JSON.stringify(out)); return db.destroy(); });`;
  const run = spawnSync(process.execPath, ['-e', script, throwaway.url, now, JSON.stringify(options)], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', TZ: zone },
    timeout: 30000,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

describe('the monthly run on the server-local 1st', () => {
  it('in Asia/Novosibirsk (UTC+7), at 03:00 on December 1st, pays for November', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.expense(account, '100.0000', '2026-11-15 12:00:00');
    await world.expense(account, '40.0000', '2026-10-20 12:00:00');

    const run = runIn('Asia/Novosibirsk', '2026-11-30T20:00:00Z');

    expect(run.local).toBe('2026-12-01 03:00:00');
    expect(run.summary).toMatchObject({ period: '2026-11', runDate: '2026-12-01', earned: { USD: '10.00' } });
    expect(await world.rewardPayments(partner.account)).toEqual(['10.00']);
  });

  it('in America/Los_Angeles (UTC-8), on the evening of November 30th (already December in UTC), November is not over', async () => {
    const evening = '2026-12-01T04:00:00Z'; // 2026-11-30 20:00 in Los Angeles
    const early = runIn('America/Los_Angeles', evening, { date: '2026-12-01' });
    expect(early).toEqual({ local: '2026-11-30 20:00:00', error: 'MonthNotOverError' });
    // Without --date, "today" is the local November 30th: the run is for October, not November.
    const dry = runIn('America/Los_Angeles', evening, { dryRun: true });
    expect(dry.summary).toMatchObject({ period: '2026-10', runDate: '2026-11-30' });
  });

  it('in America/Los_Angeles, at 03:00 on December 1st, pays for November', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.expense(account, '50.0000', '2026-11-30 23:00:00');

    const run = runIn('America/Los_Angeles', '2026-12-01T11:00:00Z');

    expect(run.local).toBe('2026-12-01 03:00:00');
    expect(run.summary).toMatchObject({ period: '2026-11', runDate: '2026-12-01' });
    expect(await world.rewardPayments(partner.account)).toEqual(['5.00']);
  });
});
