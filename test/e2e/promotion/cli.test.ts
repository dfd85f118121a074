/** `billmgr-plugin promotion ...` as an admin runs it, on MariaDB: readable lines, --json, refusals. Build first. */
import { PromotionWorld } from '../../integration/promotion/world';
import { runCli, type CliResult } from '../../support/cli';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: PromotionWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
  await world.currency('RUB');
});
afterAll(async () => {
  await throwaway.drop();
});

function cli(...args: string[]): CliResult {
  return runCli(throwaway.url, ['promotion', ...args]);
}

function json<T>(...args: string[]): T {
  const run = cli(...args, '--json');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as T;
}

const AT = ['--at', '2026-12-02 12:00'];

describe('billmgr-plugin promotion', () => {
  it('refuses a promotion naming every problem, as text and as JSON', () => {
    const run = cli('create', '--name', 'x', '--kind', 'gift', '--starts', '2026-02-30');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "billmgr-plugin: promotion 'x' is invalid: the name shown to clients is required; the type must be one of discount, certificate (got 'gift'); the start '2026-02-30' is not a date (YYYY-MM-DD [HH:MM[:SS]])\n",
    );
    const asJson = cli('create', '--name', 'x', '--kind', 'gift', '--json');
    expect(asJson.status).toBe(1);
    expect(JSON.parse(asJson.stdout)).toEqual({
      error:
        "promotion 'x' is invalid: the name shown to clients is required; the type must be one of discount, certificate (got 'gift')",
      problems: [
        'the name shown to clients is required',
        "the type must be one of discount, certificate (got 'gift')",
      ],
    });
    expect(json<unknown[]>('list')).toEqual([]);
  });

  it("sets up the seed's example, explains one client, previews the audience, and archives", async () => {
    const created = json<{ id: number; status: string }>(
      'create',
      '--name',
      'loyal',
      '--client-name',
      'Loyal clients',
      '--kind',
      'discount',
      '--starts',
      '2026-12-01',
      '--limit',
      '1',
    );
    expect(created.status).toBe('draft');
    const id = String(created.id);
    const add = (...args: string[]): ReturnType<typeof cli> => cli('condition', 'add', id, ...args);
    const money = (period: string, amount: string): string[] =>
      ['comparison=gt', `periodType=${period}`, 'length=1', `amount=${amount}`, 'currency=RUB'].flatMap(
        (a) => ['--arg', a],
      );
    expect(add('expenses_over_period', '--group', 'Expenses', ...money('year', '10000')).status).toBe(0);
    expect(add('expenses_over_period', '--group', 'Expenses', ...money('month', '1000')).status).toBe(0);
    const services = add(
      'service_count',
      '--group',
      'Active services',
      '--arg',
      'comparison=gt',
      '--arg',
      'count=3',
    );
    expect(services.stdout).toMatch(
      /condition \d+ service_count comparison=gt count=3 \(group "Active services"\)/,
    );
    const bad = add('service_count', '--arg', 'comparison=most');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/comparison 'most' must be gt, lt or eq.*count is required/);
    expect(json<unknown[]>('condition', 'list', id, '--group', 'Expenses')).toHaveLength(2);

    const passes = await world.account();
    await world.expense(passes, '1200.00', '2026-11-20 10:00:00');
    for (let i = 0; i < 4; i += 1) await world.service(passes);
    const fails = await world.account();
    await world.expense(fails, '740.00', '2026-11-20 10:00:00');
    for (let i = 0; i < 5; i += 1) await world.service(fails);

    const check = cli('check', id, '--account', String(fails), ...AT);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(`account ${fails}, promotion ${id}: not eligible\n`);
    expect(check.stdout).toContain('  group "Expenses" (any one): failed\n');
    expect(check.stdout).toContain('expenses over the last month 740.00 RUB, needs more than 1,000.00\n');
    expect(check.stdout).toContain('  group "Active services" (any one): passed\n');
    expect(json<{ eligible: boolean }>('check', id, '--account', String(passes), ...AT).eligible).toBe(true);

    expect(cli('audience', id, ...AT).stdout).toBe(`promotion ${id}: 1 eligible client\n`);
    expect(cli('audience', id, '--list', ...AT).stdout).toBe(
      `promotion ${id}: 1 eligible client\n${passes}\n`,
    );
    expect(json<unknown>('audience', id, ...AT)).toEqual({
      promotion: Number(id),
      count: 1,
      accounts: [passes],
    });

    const missing = cli('check', id, '--account', '999999');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('billmgr-plugin: there is no account 999999\n');

    expect(cli('archive', id).stdout).toBe(`promotion ${id} archived\n`);
    const edit = cli('edit', id, '--client-name', 'Again');
    expect(edit.status).toBe(1);
    expect(edit.stderr).toBe(`billmgr-plugin: promotion ${id} is archived: it is not changed any more\n`);
    expect(json<Array<{ status: string }>>('list', '--status', 'archived')).toHaveLength(1);
    expect(json<{ conditions: unknown[] }>('show', id).conditions).toHaveLength(3);
  });
});
