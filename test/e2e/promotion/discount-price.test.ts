/**
 * The panel's price handler (`handlers/bmp_promotion_price`) and `billmgr-plugin promotion discount set|show|run`
 * as processes on MariaDB: the discounted price document, the offer's validation collecting every problem (also
 * as JSON), and the run through the host credit outbox.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../../src/paths';
import { DiscountWorld } from '../../integration/promotion/discount-world';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let t: ThrowawayDb;
let world: DiscountWorld;
let mgrdir: string;
const COMMIT = new Date('2026-12-01T10:00:00Z');

beforeAll(async () => {
  t = await createThrowawayDb();
  world = new DiscountWorld(t.db);
  mgrdir = mkdtempSync(join(tmpdir(), 'discount-price-'));
});
afterAll(async () => {
  await t.drop();
  rmSync(mgrdir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    BMP_DATABASE_URL: t.url,
    BMP_MGRDIR: mgrdir,
    BMP_CONFIG: join(mgrdir, 'absent.json'),
    BMP_LOG: 'stderr',
    ...extra,
  };
}

function price(query: string): { status: number | null; stdout: string } {
  const r = spawnSync(projectPath('handlers', 'bmp_promotion_price'), [], {
    env: env({ GATEWAY_INTERFACE: 'CGI/1.1', REQUEST_METHOD: 'GET', QUERY_STRING: query }),
    encoding: 'utf8',
    timeout: 30000,
  });
  return { status: r.status, stdout: r.stdout };
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(projectPath('bin', 'billmgr-plugin'), args, {
    env: env(),
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bmp_promotion_price', () => {
  it('answers the price, the discount and the promotions that gave it: 20 % exclusive and 1.50 stackable off 24.99', async () => {
    const account = await world.account();
    const vds = await world.tariff('vds');
    const exclusive = await world.discount({ percent: '20', itemTypes: ['vds'] });
    const stackable = await world.discount({ amount: '1.50', currency: 'USD', exclusive: false });
    const elsewhere = await world.discount({ percent: '50', tariffs: [vds + 1000] });
    for (const p of [exclusive, stackable, elsewhere]) await world.holds(account, p, COMMIT);

    const answer = price(
      `func=bmp.promotion.price&account=${account}&pricelist=${vds}&price=24.99&currency=usd`,
    );
    expect(answer.status).toBe(0);
    const names = (await t
      .db('bmp_promotion')
      .whereIn('id', [exclusive, stackable])
      .orderBy('id')
      .pluck('client_name')) as string[];
    expect(answer.stdout).toBe(
      [
        `<doc account="${account}" pricelist="${vds}">`,
        `  <price currency="USD">24.99</price>`,
        `  <discount currency="USD">6.50</discount>`,
        `  <total currency="USD">18.49</total>`,
        `  <promotion id="${exclusive}" name="${names[0]}" currency="USD">5.00</promotion>`,
        `  <promotion id="${stackable}" name="${names[1]}" currency="USD">1.50</promotion>`,
        `</doc>`,
        ``,
      ].join('\n'),
    );
  });

  it('a client without a discount gets the price as it is; missing fields are an error document and exit 1', async () => {
    const account = await world.account();
    const vds = await world.tariff('vds');
    const plain = price(`account=${account}&pricelist=${vds}&price=10&currency=USD`);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('<discount currency="USD">0.00</discount>');
    expect(plain.stdout).toContain('<total currency="USD">10.00</total>');
    expect(plain.stdout).not.toContain('<promotion');
    const bad = price(`account=${account}&price=ten`);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/<error/);
    expect(bad.stdout).toContain('pricelist is missing');
    expect(bad.stdout).toContain('currency is missing');
  });
});

describe('billmgr-plugin promotion discount', () => {
  it('sets and shows an offer; a bad one names every problem, in JSON with --json', async () => {
    const promotion = String(await world.promotion({ kind: 'discount' }));
    const set = cli(
      'promotion',
      'discount',
      'set',
      '--promotion',
      promotion,
      '--percent',
      '15',
      '--tariff',
      '7',
      '--tariff',
      '9',
      '--budget',
      '100',
      '--budget-currency',
      'USD',
      '--priority',
      '2',
    );
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    expect(set.stdout).toBe(
      `promotion ${promotion}: 15 % off tariff 7, 9, exclusive, priority 2, budget 100.00 USD, spent 0.00\n`,
    );
    const shown = cli('--json', 'promotion', 'discount', 'show', '--promotion', promotion);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      percent: '15',
      targets: ['7', '9'],
      budget: '100.00',
      spent: '0.00',
    });

    const bad = cli(
      '--json',
      'promotion',
      'discount',
      'set',
      '--promotion',
      promotion,
      '--amount',
      '5.001',
      '--item-type',
      'vds',
      '--tariff',
      '3',
    );
    expect(bad.status).not.toBe(0);
    const error = JSON.parse(bad.stdout) as { error: string };
    expect(error.error).toBe(
      `discount of promotion ${promotion} is invalid: a fixed amount needs its currency (--currency, three letters); ` +
        "amount '5.001' is not a positive amount with at most two decimals; the offer is off product types or off tariffs, not both",
    );
  });

  it('the run credits through the host credit outbox: with nothing to discount it reads and credits nothing', () => {
    const run = cli('promotion', 'discount', 'run', '--date', '2026-12-31');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+ expenses read, 0 discounted, 0 credits\n$/);
  });
});
