/**
 * The admin's loop through `bin/billmgr-plugin affiliate ...` on MariaDB (issue 13 item 6): overview,
 * commissions, adjustments, payout references, unassigning, template collisions, and how errors are reported.
 */
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { projectPath } from '../../../src/paths';
import { T } from '../../../src/db/affiliate/tables';
import { AffiliateWorld } from '../../integration/affiliate/world';
import { runCli, type CliResult } from '../../support/cli';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { standinCore } from '../../support/core';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
  await world.currency('USD');
});
afterAll(async () => {
  await throwaway.drop();
});

function cli(...args: string[]): CliResult {
  return runCli(throwaway.url, args, {
    env: { BMP_LOG_LEVEL: 'error', BMP_MGRCTL: projectPath('bin', 'host-mgrctl') },
  });
}

function json<T>(...args: string[]): T {
  const run = cli('--json', 'affiliate', ...args);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as T;
}

type Amount = { amount: string; currency: string };

describe('billmgr-plugin affiliate: the admin loop', () => {
  it('overview, commissions with sources, adjustments, a paid withdrawal with its reference, unassign', async () => {
    const program = json<{ id: number }>(
      'program',
      'add',
      '--name',
      'Loop',
      '--template',
      'LOOP@ID@',
      '--reward',
      '10',
      '--website',
      'https://p.example/',
    );
    expect(cli('affiliate', 'settings', 'set', '--auto-apply', 'off').status).toBe(0);
    const partnerAccount = await world.account({ name: 'Loop Partner' });
    const partner = json<{ id: number; promocode: string }>(
      'partner',
      'add',
      '--program',
      String(program.id),
      '--account',
      String(partnerAccount),
    );
    const client = await world.account({ name: 'Loop Client' });
    expect(
      cli('affiliate', 'assign', '--account', String(client), '--affiliate', String(partner.id)).status,
    ).toBe(0);
    await throwaway
      .db(T.referral)
      .where({ account: client })
      .update({ bound_at: '2025-01-01 00:00:00', reward_until: null });
    await world.service(client, '30.00');
    await throwaway.db(T.visit).insert([
      {
        affiliate: partner.id,
        visitor: 'v1',
        visited_at: '2025-01-01 09:00:00',
        visit_day: '2025-01-01',
        hits: 4,
      },
      {
        affiliate: partner.id,
        visitor: 'v2',
        visited_at: '2025-01-01 09:00:00',
        visit_day: '2025-01-01',
        hits: 1,
      },
    ]);
    await world.expense(client, '80.0000', '2025-03-05 00:00:00');
    await world.expense(client, '0.0500', '2025-03-06 00:00:00');
    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2025-04-01',
      now: new Date('2025-04-01T00:00:00Z'),
    });

    // 10 % of 80.05 = 8.005 -> 8.01 (rounded once, half away from zero).
    const commissions = json<
      Array<{ amount: Amount; rule: string; run: number; source: { kind: string; charges: unknown[] } }>
    >('commissions', String(partner.id));
    expect(commissions).toEqual([
      expect.objectContaining({
        amount: { amount: '8.01', currency: 'USD' },
        rule: 'percent_of_expenses',
        source: expect.objectContaining({
          kind: 'expenses',
          charges: [{ referral: expect.any(Number), account: client, currency: 'USD', charged: '80.0500' }],
        }),
      }),
    ]);
    expect(cli('affiliate', 'commissions', String(partner.id)).stdout).toMatch(
      new RegExp(
        `8\\.01 USD percent_of_expenses \\[program:${program.id}\\] 2025-03 from expenses of 2025-03, run \\d+[^\\n]*\\n    referral \\d+ \\(account ${client}\\) charged 80\\.0500 USD\\n`,
      ),
    );

    const plus = json<{ id: number; amount: Amount }>(
      'adjust',
      '--affiliate',
      String(partner.id),
      '--amount',
      '4.99',
      '--reason',
      'goodwill',
    );
    expect(plus.amount).toEqual({ amount: '4.99', currency: 'USD' });
    const minus = json<{ amount: Amount; reason: string }>(
      'adjust',
      '--affiliate',
      String(partner.id),
      '--amount=-3',
      '--reason',
      `corrects adjustment ${plus.id}`,
    );
    expect(minus).toMatchObject({
      amount: { amount: '-3.00', currency: 'USD' },
      reason: `corrects adjustment ${plus.id}`,
    });
    expect(cli('affiliate', 'adjustments', '--affiliate', String(partner.id)).stdout).toMatch(
      /: partner \d+ 4\.99 USD on .* by admin: goodwill\n\d+: partner \d+ -3\.00 USD .*: corrects adjustment/,
    );

    // 8.01 + 4.99 - 3.00 = 10.00 available.
    type Overview = {
      visits: number;
      hits: number;
      signups: number;
      activeReferrals: number;
      balances: Array<Record<string, Amount | string>>;
    };
    const [overview] = json<Overview[]>('overview', '--partner', String(partner.id));
    expect(overview).toMatchObject({
      visits: 2,
      hits: 5,
      signups: 1,
      activeReferrals: 1,
      balances: [
        {
          currency: 'USD',
          pending: { amount: '0.00', currency: 'USD' },
          available: { amount: '10.00', currency: 'USD' },
          paidOut: { amount: '0.00', currency: 'USD' },
        },
      ],
    });
    expect(cli('affiliate', 'overview').stdout).toContain(
      `partner ${partner.id} (account ${partnerAccount}, program ${program.id}, ${partner.promocode}): 2 visits (5 hits), 1 signups, 1 active referrals; USD: pending 0.00, available 10.00, paid out 0.00`,
    );

    const request = json<{ id: number }>(
      'withdraw',
      'request',
      '--affiliate',
      String(partner.id),
      '--amount',
      '10',
    );
    const noReference = cli('affiliate', 'withdraw', 'decide', String(request.id), '--paid');
    expect(noReference.status).toBe(1);
    expect(noReference.stderr).toMatch(/a paid withdrawal needs its payout reference/);
    expect(
      json<{ status: string; payoutReference: string }>(
        'withdraw',
        'decide',
        String(request.id),
        '--paid',
        '--reference',
        'SEPA-77',
      ),
    ).toMatchObject({ status: 'paid', payoutReference: 'SEPA-77' });
    expect(cli('affiliate', 'withdraw', 'list', '--affiliate', String(partner.id)).stdout).toMatch(
      /paid, requested .*, decided .*, paid out as SEPA-77\n/,
    );

    const unassigned = json<{ changed: boolean; affiliate: number }>('unassign', '--account', String(client));
    expect(unassigned).toMatchObject({ changed: true, affiliate: partner.id });
    const [after] = json<Overview[]>('overview', '--partner', String(partner.id));
    expect(after).toMatchObject({ signups: 1, activeReferrals: 0 });
    expect(cli('affiliate', 'referrals', String(partnerAccount)).stdout).toMatch(
      /active, unassigned \d{4}-\d\d-\d\d/,
    );
    expect(cli('affiliate', 'unassign', '--account', String(client)).stdout).toMatch(
      /was unassigned from partner \d+ already/,
    );
  });

  it('refuses a template whose codes could collide, naming the program and an id pair', () => {
    const first = json<{ id: number }>(
      'program',
      'add',
      '--name',
      'Q',
      '--template',
      'Q@ID@',
      '--website',
      'https://p.example/',
    );
    const run = cli(
      'affiliate',
      'program',
      'add',
      '--name',
      'Q1',
      '--template',
      'Q1@ID@',
      '--website',
      'https://p.example/',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `can make the same code as program ${first.id} ('Q', template Q@ID@): partner 1 here and partner 11 there would both get Q11`,
    );
    const asJson = cli(
      '--json',
      'affiliate',
      'program',
      'add',
      '--name',
      'Q1',
      '--template',
      'Q1@ID@',
      '--website',
      'https://p.example/',
    );
    expect(asJson.status).toBe(1);
    expect(JSON.parse(asJson.stdout)).toEqual({
      error: expect.stringContaining('affiliate program is invalid'),
      problems: [expect.stringContaining('would both get Q11')],
    });
  });

  it('names unknown ids, prints every validation error, and with --json answers one JSON document', () => {
    for (const args of [
      ['balance', '999999'],
      ['apply', '999999'],
      ['overview', '--partner', '999999'],
      ['commissions', '999999'],
      ['partner', 'disable', '999999'],
      ['adjust', '--affiliate', '999999', '--amount', '1', '--reason', 'x'],
    ]) {
      const run = cli('affiliate', ...args);
      expect([args, run.status, run.stderr]).toEqual([
        args,
        1,
        'billmgr-plugin: there is no partner 999999\n',
      ]);
      const asJson = cli('--json', 'affiliate', ...args);
      expect(asJson.status).toBe(1);
      expect(JSON.parse(asJson.stdout)).toEqual({
        error: 'there is no partner 999999',
        problems: [],
      });
    }
    const rule = cli('affiliate', 'rule', 'remove', '999999');
    expect([rule.status, rule.stderr]).toEqual([1, 'billmgr-plugin: there is no rule 999999\n']);
    const withdrawal = cli('affiliate', 'withdraw', 'decide', '999999', '--rejected');
    expect([withdrawal.status, withdrawal.stderr]).toEqual([
      1,
      'billmgr-plugin: there is no withdrawal 999999\n',
    ]);

    // A bad amount used to exit 1 with nothing printed.
    const amount = cli('affiliate', 'withdraw', 'request', '--affiliate', '1', '--amount', 'ten');
    expect([amount.status, amount.stderr]).toEqual([
      1,
      "billmgr-plugin: 'ten' is not an amount such as 20 or 19.99.\n",
    ]);
    const both = cli('--json', 'affiliate', 'adjust', '--affiliate', '1', '--amount', '0', '--reason', ' ');
    expect(both.status).toBe(1);
    expect(JSON.parse(both.stdout)).toEqual({
      error: expect.any(String),
      problems: ['an adjustment must be of an amount other than 0', 'an adjustment needs a reason'],
    });
    // A usage error with --json: one document on stdout, nothing on stderr.
    const usage = cli('--json', 'affiliate', 'partner', 'add', '--account', '1');
    expect(usage.status).toBe(1);
    expect(usage.stderr).toBe('');
    expect(JSON.parse(usage.stdout)).toMatchObject({
      error: expect.stringContaining("'--program <id>'"),
    });
  });
});
