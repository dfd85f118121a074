/**
 * `pmbillmgr --command sync_pricelist` (the host's `pricelist.sync elid=`): each rule of seed 004's
 * "Synchronization of tariff plans", driven by changing the sandbox's tariffs. Needs `npm run build`.
 */
import type { SellingTariff } from '../../../src/sandbox/types';
import { startResellerEnv, type ResellerEnv } from '../../support/reseller-env';
import {
  assignedValues,
  changesOf,
  enumerationPrices,
  errorOfDoc,
  pricesOf,
  snapshotTariffTables,
  type DocChange,
} from './tables';

let env: ResellerEnv;
let selling: SellingTariff;
let local: number;

const sync = (id: number = local) => env.runModuleCommand('sync_pricelist', ['--id', String(id)]);
const addonsOf = (pricelist: number) => env.db('pricelist').where({ parent: pricelist }).orderBy('id');
const addon = async (intname: string) => env.db('pricelist').where({ parent: local, intname }).first();
const sellingAddon = (intname: string) => {
  const found = selling.addons.find((a) => a.intname === intname);
  if (!found) throw new Error(`no selling add-on ${intname}`);
  return found;
};
const pick = (changes: DocChange[], object: string) =>
  changes
    .filter((c) => c.object === object)
    .map((c) => `${c.action} ${c.intname}${c.detail ? ` (${c.detail})` : ''}`);

beforeAll(async () => {
  env = await startResellerEnv();
  selling = env.sandbox.state.tariffByIntname('vps-start');
  const run = await env.runModuleCommand('import_pricelist', [
    '--subcommand',
    'pricelist',
    '--id',
    String(selling.id),
  ]);
  expect(run.code).toBe(0);
  local = (
    await env
      .db('pricelist')
      .where({ remoteid: String(selling.id) })
      .whereNull('parent')
      .first()
  ).id;
});

afterAll(async () => {
  await env?.close();
});

it('changes nothing and reports nothing when the selling tariff did not change', async () => {
  const before = await snapshotTariffTables(env.db);
  const run = await sync();
  expect(run.code).toBe(0);
  expect(run.doc?.pricelist).toMatchObject({ id: String(local), status: 'synced' });
  expect(changesOf(run.doc)).toEqual([]);
  expect(await snapshotTariffTables(env.db)).toEqual(before);
});

it('updates OS template tags, adds new templates and removes dropped ones from the tariff', async () => {
  env.sandbox.state.setTag(selling.id, 'debian-12', ['linux', 'debian', 'lts']);
  env.sandbox.state.addOsTemplate(selling.id, {
    intname: 'almalinux-9',
    name: 'AlmaLinux 9',
    tags: ['linux', 'rhel'],
  });
  env.sandbox.state.removeOsTemplate(selling.id, 'windows-2022');

  const run = await sync();
  expect(run.code).toBe(0);
  expect(pick(changesOf(run.doc), 'paramvalue').sort()).toEqual([
    'added almalinux-9',
    'removed windows-2022',
    'updated debian-12 (tags: linux,debian -> linux,debian,lts)',
  ]);
  expect(await assignedValues(env.db, local)).toEqual(['almalinux-9', 'debian-12', 'ubuntu-24.04']);
  expect(await env.db('itemtypeparamvalue').where({ intname: 'debian-12' }).first()).toMatchObject({
    tags: 'linux,debian,lts',
  });
  expect(await env.db('itemtypeparamvalue').where({ intname: 'almalinux-9' }).first()).toMatchObject({
    name: 'AlmaLinux 9',
    tags: 'linux,rhel',
  });
});

it('creates new add-ons disabled, with prices converted into RUB', async () => {
  const created = env.sandbox.state.addAddon(selling.id, {
    intname: 'ipv4',
    name: 'IPv4 address',
    addontype: 2,
    measure: 'pcs',
    limit: 1,
    min: 1,
    max: 8,
    step: 1,
    prices: [
      { type: 'month', length: 1, cost: '3.00' },
      { type: 'month', length: 12, cost: '30.00' },
    ],
  });
  const run = await sync();
  expect(pick(changesOf(run.doc), 'addon')).toEqual(['created ipv4']);
  const ipv4 = await addon('ipv4');
  expect(ipv4).toMatchObject({
    remoteid: String(created.id),
    active: 'off',
    addontype: 2,
    addonlimit: 1,
    addonmax: 8,
  });
  expect(await pricesOf(env.db, ipv4.id, env.catalog.currencies.RUB)).toEqual({
    monthly: '277.3500',
    annually: '2773.5000',
  });
});

it('deletes add-ons removed or disabled on the selling side, with their prices', async () => {
  const backup = await addon('backup');
  const disk = await addon('disk');
  const backupPrice = (await env.db('pricelistprice').where({ pricelist: backup.id }).first()).price;
  env.sandbox.state.removeAddon(selling.id, sellingAddon('backup').id);
  env.sandbox.state.setAddonActive(selling.id, sellingAddon('disk').id, false);

  const run = await sync();
  expect(pick(changesOf(run.doc), 'addon').sort()).toEqual(['deleted backup', 'deleted disk']);
  expect((await addonsOf(local)).map((a) => a.intname)).toEqual(['ram', 'panel', 'ipv4']);
  expect(await env.db('pricelist').whereIn('id', [backup.id, disk.id])).toEqual([]);
  expect(await env.db('pricelistprice').whereIn('pricelist', [backup.id, disk.id])).toEqual([]);
  expect(await env.db('price').where({ id: backupPrice })).toEqual([]);
});

it('leaves the prices of existing add-ons unchanged, even when the selling side changed them', async () => {
  const ram = await addon('ram');
  const before = await pricesOf(env.db, ram.id, env.catalog.currencies.RUB);
  const sellingRam = sellingAddon('ram');
  sellingRam.prices = sellingRam.prices.map((p) => ({ ...p, cost: '0.5000' }));

  const run = await sync();
  expect(run.code).toBe(0);
  expect(changesOf(run.doc)).toEqual([]);
  expect(await pricesOf(env.db, ram.id, env.catalog.currencies.RUB)).toEqual(before);
});

it('creates new enumeration items with their prices and deletes the prices of removed or disabled items', async () => {
  const panel = sellingAddon('panel');
  env.sandbox.state.addEnumerationItem(selling.id, panel.id, {
    intname: 'cpanel',
    name: 'cPanel',
    prices: [{ type: 'month', length: 1, cost: '20.00' }],
  });
  const isppro = panel.enumeration?.items.find((i) => i.intname === 'isppro');
  const none = panel.enumeration?.items.find((i) => i.intname === 'none');
  env.sandbox.state.removeEnumerationItem(selling.id, panel.id, isppro?.id ?? 0);
  if (none) none.active = false;

  const run = await sync();
  const changes = changesOf(run.doc);
  expect(pick(changes, 'enumerationitem')).toEqual(['created cpanel']);
  expect(pick(changes, 'enumerationprice').sort()).toEqual([
    'created cpanel',
    'deleted isppro',
    'deleted none',
  ]);
  const localPanel = await addon('panel');
  expect(await enumerationPrices(env.db, localPanel.id)).toEqual({
    isplite: '462.2500',
    cpanel: '1849.0000',
  });
});

it('creates a new enumeration add-on with its enumeration, items and prices', async () => {
  env.sandbox.state.addAddon(selling.id, {
    intname: 'license',
    name: 'OS license',
    addontype: 3,
    prices: [],
    enumeration: {
      intname: 'oslicense',
      name: 'OS licenses',
      items: [
        { intname: 'free', name: 'Free', prices: [{ type: 'month', length: 1, cost: '0.00' }] },
        {
          intname: 'winstd',
          name: 'Windows Standard',
          prices: [{ type: 'month', length: 1, cost: '15.00' }],
        },
      ],
    },
  });
  const run = await sync();
  const changes = changesOf(run.doc);
  expect(pick(changes, 'addon')).toEqual(['created license']);
  expect(pick(changes, 'enumeration')).toEqual(['created oslicense']);
  expect(pick(changes, 'enumerationitem')).toEqual(['created free', 'created winstd']);
  const license = await addon('license');
  expect(license.active).toBe('off');
  expect(await env.db('enumeration').where({ id: license.enumeration }).first()).toMatchObject({
    intname: 'oslicense',
  });
  expect(await enumerationPrices(env.db, license.id)).toEqual({ free: '0.0000', winstd: '1386.7500' });
});

it('is idempotent: a second sync finds nothing to change', async () => {
  const before = await snapshotTariffTables(env.db);
  const run = await sync();
  expect(run.code).toBe(0);
  expect(changesOf(run.doc)).toEqual([]);
  expect(await snapshotTariffTables(env.db)).toEqual(before);
});

it("keeps the admin's name, switch and reviewed add-ons as the admin left them", async () => {
  await env.db('pricelist').where({ id: local }).update({ active: 'on', name: 'VPS Start (resold)' });
  await env.db('pricelist').where({ parent: local, intname: 'ipv4' }).update({ active: 'on' });
  const run = await sync();
  expect(changesOf(run.doc)).toEqual([]);
  expect(await env.db('pricelist').where({ id: local }).first()).toMatchObject({
    active: 'on',
    name: 'VPS Start (resold)',
  });
  expect(await addon('ipv4')).toMatchObject({ active: 'on' });
});

it('syncs every tariff of the module without --id', async () => {
  const pro = env.sandbox.state.tariffByIntname('vps-pro');
  // A selling BILLmanager keeps one OS template list per product type; the sandbox keeps one per tariff, so
  // the test gives vps-pro the tags vps-start has now (the host has one debian-12 row for both).
  env.sandbox.state.setTag(pro.id, 'debian-12', ['linux', 'debian', 'lts']);
  await env.runModuleCommand('import_pricelist', ['--subcommand', 'pricelist', '--id', String(pro.id)]);
  env.sandbox.state.addOsTemplate(pro.id, { intname: 'freebsd-14', name: 'FreeBSD 14', tags: ['bsd'] });
  const run = await env.runModuleCommand('sync_pricelist');
  expect(run.code).toBe(0);
  const changes = changesOf(run.doc);
  expect(pick(changes, 'paramvalue')).toEqual(['added freebsd-14']);
  expect(await assignedValues(env.db, local)).not.toContain('freebsd-14');
});

it('refuses a tariff that was not imported through the module, writing nothing', async () => {
  const [own] = await env
    .db('pricelist')
    .insert({ name: 'Local tariff', itemtype: env.catalog.itemtypes.vds });
  const before = await snapshotTariffTables(env.db);
  const run = await sync(own);
  expect(run.code).not.toBe(0);
  expect(errorOfDoc(run.doc)).toMatchObject({ type: 'missed', object: 'pricelist' });
  expect(errorOfDoc(run.doc)?.msg).toContain(
    `tariff ${own} was not imported through processing module ${env.module}`,
  );
  expect(await snapshotTariffTables(env.db)).toEqual(before);
});

it('writes nothing when a new add-on is priced in a currency without a rate', async () => {
  await env.db('currencyrate').where({ currency: env.catalog.currencies.USD }).delete();
  const before = await snapshotTariffTables(env.db);
  env.sandbox.state.addAddon(selling.id, {
    intname: 'snapshot',
    name: 'Snapshots',
    addontype: 1,
    prices: [{ type: 'month', length: 1, cost: '1.00' }],
  });
  env.sandbox.state.addOsTemplate(selling.id, { intname: 'rocky-9', name: 'Rocky 9', tags: ['linux'] });
  const run = await sync();
  expect(run.code).not.toBe(0);
  expect(errorOfDoc(run.doc)).toMatchObject({ type: 'missed', object: 'currencyrate' });
  expect(await snapshotTariffTables(env.db)).toEqual(before);
});
