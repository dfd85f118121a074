/**
 * The admin CLI's tariff commands (seed 003: edit name and cost, enable or disable reselling) and period
 * comparison (seed 004), run as `bin/billmgr-plugin` processes on a database with imported tariffs.
 */
import { spawn } from 'node:child_process';
import { projectPath } from '../../../src/paths';
import { startResellerEnv, type ResellerEnv } from '../../support/reseller-env';
import { pricesOf } from './tables';
import { MODULE_NAME } from '../../../src/module-name';

let env: ResellerEnv;
let start: number;
let pro: number;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [projectPath('bin', 'billmgr-plugin'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function cliJson<T = unknown>(...args: string[]): Promise<T> {
  const run = await cli(...args, '--json');
  if (run.code !== 0) throw new Error(`billmgr-plugin ${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

async function importTariff(intname: string): Promise<number> {
  const id = env.sandbox.state.tariffByIntname(intname).id;
  const run = await env.runModuleCommand('import_pricelist', [
    '--subcommand',
    'pricelist',
    '--id',
    String(id),
  ]);
  if (run.code !== 0) throw new Error(run.stdout);
  return (
    await env
      .db('pricelist')
      .where({ remoteid: String(id) })
      .whereNull('parent')
      .first()
  ).id;
}

beforeAll(async () => {
  env = await startResellerEnv();
  start = await importTariff('vps-start');
  pro = await importTariff('vps-pro');
});

afterAll(async () => {
  await env?.close();
});

describe('tariff', () => {
  it('lists the imported tariffs with their prices in the main currency, disabled after import', async () => {
    const tariffs = await cliJson<Array<Record<string, unknown>>>('tariff', 'list');
    expect(tariffs.map((t) => [t.id, t.itemtype, t.active, t.addons])).toEqual([
      [start, 'vds', false, 4],
      [pro, 'vds', false, 4],
    ]);
    expect(tariffs[0]).toMatchObject({
      name: 'VPS Start',
      module: env.module,
      currency: 'RUB',
      costs: { '1 month': '924.50', '3 months': '2496.15', '12 months': '9245.00' },
    });
    const text = await cli('tariff', 'list', '--module', String(env.module));
    expect(text.stdout).toContain(`${start} VPS Start [`);
    expect(text.stdout).toContain('disabled');
  });

  it("edits a tariff's name and costs, rounding a typed amount once", async () => {
    const edited = await cliJson<Record<string, unknown>>(
      'tariff',
      'edit',
      String(start),
      '--name',
      'VPS Start RU',
      '--cost',
      'monthly=990',
      '--cost',
      '12=9900.005',
    );
    expect(edited).toMatchObject({ id: start, name: 'VPS Start RU' });
    expect(await pricesOf(env.db, start, env.catalog.currencies.RUB)).toEqual({
      monthly: '990.0000',
      quarterly: '2496.1500',
      annually: '9900.0100',
    });
  });

  it('refuses a bad cost and changes nothing', async () => {
    const before = await pricesOf(env.db, start, env.catalog.currencies.RUB);
    const run = await cli('tariff', 'edit', String(start), '--name', 'Renamed', '--cost', 'monthly=abc');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("cost 'abc' for 1 month is not an amount");
    expect(await pricesOf(env.db, start, env.catalog.currencies.RUB)).toEqual(before);
    expect((await env.db('pricelist').where({ id: start }).first()).name).toBe('VPS Start RU');

    const badPeriod = await cli('tariff', 'edit', String(start), '--cost', 'fortnightly=5');
    expect(badPeriod.code).not.toBe(0);
    expect(badPeriod.stderr).toContain("unknown period 'fortnightly'");
  });

  it('enables and disables reselling of several tariffs at once', async () => {
    const enabled = await cliJson<Array<{ id: number; changed: boolean }>>(
      'tariff',
      'enable',
      String(start),
      String(pro),
    );
    expect(enabled.map((r) => [r.id, r.changed])).toEqual([
      [start, true],
      [pro, true],
    ]);
    expect((await env.db('pricelist').whereIn('id', [start, pro])).map((t) => t.active)).toEqual([
      'on',
      'on',
    ]);

    const again = await cli('tariff', 'enable', String(start));
    expect(again.stdout).toContain('already enabled');

    await cliJson('tariff', 'disable', String(pro));
    expect((await env.db('pricelist').where({ id: pro }).first()).active).toBe('off');
  });

  it('changes none of the tariffs when one of them does not exist', async () => {
    const run = await cli('tariff', 'disable', String(start), '9999');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no tariff 9999: nothing was changed');
    expect((await env.db('pricelist').where({ id: start }).first()).active).toBe('on');
  });
});

describe('period-map', () => {
  it('adds module-wide, product-type and tariff mappings and lists them', async () => {
    const wide = await cliJson<Record<string, unknown>>(
      'period-map',
      'add',
      '--module',
      String(env.module),
      '--from',
      'trial',
      '--to',
      'monthly',
    );
    expect(wide).toMatchObject({ module: env.module, from: -100, to: 1, itemtype: null, tariff: null });
    await cliJson(
      'period-map',
      'add',
      '--module',
      String(env.module),
      '--from',
      '6',
      '--to',
      '3',
      '--itemtype',
      'vds',
    );
    await cliJson(
      'period-map',
      'add',
      '--module',
      String(env.module),
      '--from',
      'semiannual',
      '--to',
      'annually',
      '--itemtype',
      'vds',
      '--tariff',
      String(pro),
    );

    const listed = await cliJson<Array<Record<string, unknown>>>(
      'period-map',
      'list',
      '--module',
      String(env.module),
    );
    expect(listed.map((m) => [m.from, m.to, m.itemtype, m.tariff])).toEqual([
      [-100, 1, null, null],
      [6, 3, 'vds', null],
      [6, 12, 'vds', pro],
    ]);
    const text = await cli('period-map', 'list');
    expect(text.stdout).toContain('trial -> 1 month (product type any, tariff any)');
  });

  it('changes the target when the same mapping is added again, never duplicating it', async () => {
    await cliJson(
      'period-map',
      'add',
      '--module',
      String(env.module),
      '--from',
      'trial',
      '--to',
      'quarterly',
    );
    const rows = await env.db('bmp_period_mapping').where({ source_period: -100 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target_period: 3 });
  });

  it('refuses mappings that refer to nothing or change nothing', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--module', '9999', '--from', 'monthly', '--to', 'annually'],
        `processing module 9999 is not a ${MODULE_NAME} module`,
      ],
      [
        ['--module', String(env.module), '--from', 'monthly', '--to', 'monthly'],
        'mapping 1 month to itself changes nothing',
      ],
      [
        ['--module', String(env.module), '--from', 'monthly', '--to', '12', '--itemtype', 'vps'],
        "the host has no product type 'vps'",
      ],
      [
        ['--module', String(env.module), '--from', 'monthly', '--to', '12', '--tariff', '9999'],
        'tariff 9999 does not exist',
      ],
      [
        [
          '--module',
          String(env.module),
          '--from',
          'monthly',
          '--to',
          '12',
          '--itemtype',
          'dedic',
          '--tariff',
          String(start),
        ],
        `tariff ${start} is of product type 'vds', not 'dedic'`,
      ],
    ];
    const before = await env.db('bmp_period_mapping').count({ n: '*' }).first();
    for (const [args, message] of cases) {
      const run = await cli('period-map', 'add', ...args);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(message);
    }
    expect(await env.db('bmp_period_mapping').count({ n: '*' }).first()).toEqual(before);
  });

  it('removes mappings by id and says which ids it did not find', async () => {
    const rows = await env.db('bmp_period_mapping').orderBy('id');
    const removed = await cliJson<{ removed: number[]; missing: number[] }>(
      'period-map',
      'remove',
      String(rows[0].id),
    );
    expect(removed).toEqual({ removed: [rows[0].id], missing: [] });
    const run = await cli('period-map', 'remove', '9999');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('not found: 9999');
    expect(await env.db('bmp_period_mapping')).toHaveLength(rows.length - 1);
  });
});
