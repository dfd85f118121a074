/**
 * Runs as processes on MariaDB: a run killed with SIGKILL between two pages is reported killed by the next run and
 * by `billmgr-plugin affiliate runs`; a partner that cannot be paid makes the handler exit 4; an override of 33.33 %
 * is taken by the CLI. `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Knex } from 'knex';
import { asList, parseXml, textOf, type XmlNode } from '../../../src/contract/xml';
import { T } from '../../../src/db/affiliate/tables';
import { projectPath } from '../../../src/paths';
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { AffiliateWorld } from '../../integration/affiliate/world';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { standinCore } from '../../support/core';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

const ENV = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  BMP_DATABASE_URL: throwaway.url,
  BMP_MGRDIR: '/nonexistent',
  BMP_LOG: 'stderr',
  BMP_MGRCTL: projectPath('bin', 'host-mgrctl'),
});

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(projectPath('bin', 'billmgr-plugin'), ['affiliate', ...args], {
    encoding: 'utf8',
    env: ENV(),
    timeout: 30000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a run killed with SIGKILL', () => {
  it('is marked killed by the next run, which reports what it had paid; affiliate runs lists both', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const first = await world.partner(program);
    const second = await world.partner(program);
    for (const [partner, amount] of [
      [first, '120.00'],
      [second, '80.00'],
    ] as const) {
      const { account } = await world.referral(partner, '2031-01-01T00:00:00Z');
      await world.expense(account, amount, '2031-01-10 00:00:00');
    }
    // The second partner's row is held, so the run pays the first page (one partner) and then waits.
    const holder: Knex.Transaction = await throwaway.db.transaction();
    await holder.raw('SELECT id FROM bmp_affiliate WHERE id = ? FOR UPDATE', [second.id]);
    const script = `
      const knex = require('knex');
      const { knexConfigFromUrl } = require(${JSON.stringify(projectPath('dist', 'src', 'db', 'connect'))});
      const { runAffiliateMonthly } = require(${JSON.stringify(projectPath('dist', 'src', 'affiliate', 'monthly'))});
      const db = knex(knexConfigFromUrl(process.env.BMP_DATABASE_URL));
      void runAffiliateMonthly(db, { date: '2031-02-01', now: new Date('2031-02-01T03:00:00Z'), pageSize: 1 });`;
    const child = spawn(process.execPath, ['-e', script], { env: ENV(), cwd: projectPath() });
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    let killedRun = 0;
    try {
      await waitFor(async () => {
        const applied = await throwaway.db(T.ledger).where({ affiliate: first.id, kind: 'applied' }).first();
        killedRun = Number(applied?.run ?? 0);
        return applied !== undefined;
      }, 'the first page to commit');
      child.kill('SIGKILL');
      expect(await ended).toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      await holder.rollback();
    }
    expect(await throwaway.db(T.run).where({ id: killedRun }).first()).toMatchObject({ status: 'running' });

    const now = new Date('2031-02-01T04:00:00Z');
    const next = await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db, () => now),
      date: '2031-02-01',
      now,
    });

    // The killed run had paid the first partner 12.00; this one pays the second 8.00 and makes both credits.
    expect(next.killedRuns).toEqual([
      {
        run: killedRun,
        period: '2031-01',
        startedAt: '2031-02-01 03:00:00',
        earned: { USD: '12.00' },
        reversed: {},
        applied: { USD: '12.00' },
        payments: 1,
      },
    ]);
    expect(next).toMatchObject({ earned: { USD: '8.00' }, payments: 1 });
    expect(await world.rewardPayments(first.account)).toEqual(['12.00']);
    expect(await world.rewardPayments(second.account)).toEqual(['8.00']);

    const listed = cli('runs', '--json');
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    const runs = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(runs.slice(0, 2)).toEqual([
      expect.objectContaining({ run: next.run, status: 'finished', earned: { USD: '8.00' }, payments: 1 }),
      expect.objectContaining({
        run: killedRun,
        kind: 'monthly',
        status: 'killed',
        killedFoundBy: next.run,
        killedFoundAt: '2031-02-01 04:00:00',
        finishedAt: null,
        earned: { USD: '12.00' },
        applied: { USD: '12.00' },
      }),
    ]);
    const lines = cli('runs').stdout.split('\n');
    expect(lines).toContain(
      `run ${killedRun} monthly 2031-01: started 2031-02-01 03:00:00, killed (found by run ${next.run} at 2031-02-01 04:00:00); ` +
        'earned 12.00 USD, reversed 0, applied 12.00 USD in 1 payment(s)',
    );
    await throwaway.db(T.program).where({ id: program.id }).update({ active: false });
  }, 60_000);
});

describe('handlers/affiliatemonthly with a partner that cannot be paid', () => {
  it('pays the others, names the partner with its error and exits 4', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const good = await world.partner(program);
    const bad = await world.partner(program);
    for (const partner of [good, bad]) {
      const { account } = await world.referral(partner, '2026-06-01T00:00:00Z');
      await world.expense(account, '50.00', '2026-06-05 00:00:00');
    }
    await throwaway
      .db(T.override)
      .insert({ affiliate: bad.id, rule_kind: 'bogus', updated_at: '2026-06-01 00:00:00' });

    const run = spawnSync(projectPath('handlers', 'affiliatemonthly'), ['--date', '2026-07-01'], {
      encoding: 'utf8',
      env: ENV(),
      timeout: 30000,
    });

    expect(run.status).toBe(4);
    const doc = (await parseXml(run.stdout, 'affiliatemonthly')).affiliatemonthly as XmlNode;
    const failed = asList(doc.failed as XmlNode | XmlNode[]);
    expect(failed.map((f) => f.$?.affiliate)).toEqual([String(bad.id)]);
    expect(textOf(failed[0])).toMatch(/kind must be one of/);
    expect(textOf(doc.payments)).toBe('1');
    expect(await world.rewardPayments(good.account)).toEqual(['5.00']);
    expect(run.stderr).toContain(`partner ${bad.id} not paid for 2026-06`);
    await throwaway.db(T.program).where({ id: program.id }).update({ active: false });
  }, 60_000);
});

describe('affiliate override set --type percentage', () => {
  it.each([
    ['0.7', '0.007'],
    ['33.33', '0.3333'],
  ])('takes --amount %s --one-time and stores the factor %s exactly', async (amount, factor) => {
    const program = await world.program();
    const partner = await world.partner(program);
    const set = cli(
      'override',
      'set',
      String(partner.id),
      '--type',
      'percentage',
      '--amount',
      amount,
      '--one-time',
    );
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    const row = await throwaway.db(T.override).where({ affiliate: partner.id }).first();
    expect(row).toMatchObject({
      rule_kind: 'first_month_multiple',
      factor: `${factor}${'0'.repeat(8 - factor.length)}`,
    });
  });
});
