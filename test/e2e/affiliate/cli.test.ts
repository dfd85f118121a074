/** `billmgr-plugin affiliate ...` as an admin runs it, on MariaDB: readable lines, --json, refusals. */
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { projectPath } from '../../../src/paths';
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
  return runCli(throwaway.url, ['affiliate', ...args], {
    env: { BMP_MGRCTL: projectPath('bin', 'host-mgrctl') },
  });
}

function json<T>(...args: string[]): T {
  const run = cli(...args, '--json');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as T;
}

describe('billmgr-plugin affiliate', () => {
  it('refuses a program without @ID@, naming every problem', () => {
    const run = cli(
      'program',
      'add',
      '--name',
      'X',
      '--template',
      'SPRING',
      '--reward',
      '150',
      '--website',
      'https://p.example/',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/must contain the macro @ID@.*reward must be a percentage/);
    expect(json<unknown[]>('program', 'list')).toEqual([]);
  });

  it('sets up a program and partners, assigns referrals, and shows the referral log, ledger and withdrawals', async () => {
    const program = json<{ id: number }>(
      'program',
      'add',
      '--name',
      'Partners',
      '--template',
      'pt@ID@',
      '--reward',
      '10',
      '--months',
      '12',
      '--website',
      'https://provider.example/',
    );
    expect(
      cli('settings', 'set', '--min-withdrawal', '5', '--auto-apply', 'off', '--delay-days', '0').status,
    ).toBe(0);
    expect(json<{ autoApply: boolean; minWithdrawalMinor: string }>('settings', 'show')).toMatchObject({
      autoApply: false,
      minWithdrawalMinor: '500',
    });

    const partnerAccount = await world.account({ name: 'Northwind Networks' });
    const partner = json<{ id: number; promocode: string; link: string }>(
      'partner',
      'add',
      '--program',
      String(program.id),
      '--account',
      String(partnerAccount),
    );
    expect(partner.promocode).toBe(`PT${partner.id}`);
    expect(partner.link).toBe(`https://provider.example/?from=${partner.id}`);

    expect(
      cli('override', 'set', String(partner.id), '--type', 'fixed', '--amount', '20', '--one-time').stdout,
    ).toBe(`partner ${partner.id}: 20.00 USD once, after the referral's paid invoice #1\n`);
    expect(
      cli('rule', 'add', '--account-type', 'business', '--kind', 'percent_of_expenses', '--percent', '15')
        .status,
    ).toBe(0);
    expect(cli('rule', 'list').stdout).toMatch(/business referrals: 15% of the referral's expenses/);

    expect(json<Array<{ id: number; affiliates: number[] }>>('search', 'northwind')).toEqual([
      expect.objectContaining({ id: partnerAccount, affiliates: [partner.id] }),
    ]);
    const client = await world.account({ name: 'Client A' });
    const assigned = cli('assign', '--account', String(client), '--affiliate', String(partner.id));
    expect(assigned.stdout).toMatch(
      new RegExp(`account ${client} is now a referral of partner ${partner.id}`),
    );
    const again = cli('assign', '--account', String(client), '--affiliate', String(partner.id));
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/refused: the client already has a referral/);

    // The assignment is dated now; move it to the start of 2025 so that a past month can be paid.
    await throwaway.db('bmp_affiliate_referral').where({ account: client }).update({
      bound_at: '2025-01-01 00:00:00',
      reward_until: '2026-01-01 00:00:00',
    });
    await world.payment(client, '30.00', '2025-03-05 00:00:00');
    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2025-04-01',
      now: new Date('2025-04-01T00:00:00Z'),
    });

    const log = cli('referrals', String(partnerAccount));
    expect(log.stdout).toMatch(/USD: pending 0\.00, available 20\.00, paid out 0\.00/);
    expect(log.stdout).toMatch(
      new RegExp(`account ${client} Client A via manual, .* active; .* earned 20\\.00 USD`),
    );
    const ledger = json<Array<{ kind: string; amount: { amount: string; currency: string } }>>(
      'ledger',
      '--affiliate',
      String(partner.id),
    );
    expect(ledger.map((l) => [l.kind, l.amount.amount])).toEqual([
      ['earned', '20.00'],
      ['cleared', '20.00'],
    ]);

    expect(cli('withdraw', 'request', '--affiliate', String(partner.id), '--amount', '4').stderr).toMatch(
      /below the minimum/,
    );
    const request = json<{ id: number; status: string }>(
      'withdraw',
      'request',
      '--affiliate',
      String(partner.id),
      '--amount',
      '15',
    );
    expect(request.status).toBe('requested');
    expect(cli('withdraw', 'decide', String(request.id), '--paid', '--reference', 'SEPA 0042').stdout).toBe(
      `withdrawal ${request.id}: paid, paid out as SEPA 0042\n`,
    );
    expect(cli('apply', String(partner.id)).stdout).toBe('applied 5.00 USD\n');
    expect(cli('balance', String(partner.id)).stdout).toBe(
      'USD: pending 0.00, available 0.00, paid out 20.00\n',
    );
    expect(await world.rewardPayments(partnerAccount)).toEqual(['5.00']);
  });
});
