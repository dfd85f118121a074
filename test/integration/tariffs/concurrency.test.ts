/** Import and sync running at the same time (in one process, so they really overlap): no duplicate rows. */
import { createSellingClient } from '../../../src/billmgr-api/client';
import { importTariff, type TariffDeps } from '../../../src/reseller/tariffs/import';
import { syncTariffs } from '../../../src/reseller/tariffs/sync';
import { startResellerEnv, type ResellerEnv } from '../../support/reseller-env';

let env: ResellerEnv;
let deps: TariffDeps;

beforeAll(async () => {
  env = await startResellerEnv();
  const selling = createSellingClient({
    url: env.sandbox.url,
    username: 'reseller',
    password: 'reseller-secret',
    timeoutMs: 5000,
    retries: 0,
    maxBackoffMs: 100,
  });
  deps = { db: env.db, selling, module: env.module };
});

afterAll(async () => {
  await env?.close();
});

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await env.db(table).where(where).count({ n: '*' }).first())?.n ?? 0);

it('imports a tariff exactly once when four imports of it overlap', async () => {
  const selling = env.sandbox.state.tariffByIntname('vps-start');
  const reports = await Promise.all([1, 2, 3, 4].map(() => importTariff(deps, String(selling.id))));
  expect(reports.map((r) => r.status).sort()).toEqual(['created', 'exists', 'exists', 'exists']);
  expect(new Set(reports.map((r) => r.pricelist)).size).toBe(1);
  expect(await count('pricelist', { remoteid: String(selling.id), parent: null })).toBe(1);
  expect(await count('processingmodule2pricelist')).toBe(1);
  expect(await count('pricelist', { parent: reports[0]?.pricelist })).toBe(4);
});

it('applies selling-side changes once when four syncs overlap', async () => {
  const selling = env.sandbox.state.tariffByIntname('vps-start');
  const panel = selling.addons.find((a) => a.intname === 'panel');
  env.sandbox.state.addAddon(selling.id, {
    intname: 'ipv4',
    name: 'IPv4 address',
    addontype: 2,
    limit: 1,
    min: 1,
    max: 8,
    step: 1,
    prices: [{ type: 'month', length: 1, cost: '3.00' }],
  });
  env.sandbox.state.addOsTemplate(selling.id, {
    intname: 'almalinux-9',
    name: 'AlmaLinux 9',
    tags: ['linux'],
  });
  env.sandbox.state.addEnumerationItem(selling.id, panel?.id ?? 0, {
    intname: 'cpanel',
    name: 'cPanel',
    prices: [{ type: 'month', length: 1, cost: '20.00' }],
  });
  const runs = await Promise.all([1, 2, 3, 4].map(() => syncTariffs(deps)));
  const changes = runs.flatMap((reports) => reports.flatMap((r) => r.changes));
  expect(changes.filter((c) => c.object === 'addon' && c.action === 'created')).toHaveLength(1);
  expect(changes.filter((c) => c.object === 'paramvalue' && c.action === 'added')).toHaveLength(1);
  expect(changes.filter((c) => c.object === 'enumerationitem' && c.action === 'created')).toHaveLength(1);
  expect(await count('pricelist', { intname: 'ipv4' })).toBe(1);
  expect(await count('itemtypeparamvalue', { intname: 'almalinux-9' })).toBe(1);
  expect(await count('enumerationitem', { intname: 'cpanel' })).toBe(1);
  expect(await count('pricelistenumerationitem')).toBe(4);
});
