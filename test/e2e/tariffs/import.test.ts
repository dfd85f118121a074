/**
 * `pmbillmgr --command import_pricelist` as the host runs it: the real handler process against the sandbox
 * selling BILLmanager, a throwaway MariaDB and the host stand-in. Needs `npm run build`.
 */
import { asList, textOf, type XmlNode } from '../../../src/contract/xml';
import { startResellerEnv, type ResellerEnv } from '../../support/reseller-env';
import {
  assignedValues,
  changesOf,
  enumerationPrices,
  errorOfDoc,
  pricesOf,
  rowCounts,
  snapshotTariffTables,
} from './tables';

let env: ResellerEnv;
let localTariff: number;

const sellingId = (intname: string) => String(env.sandbox.state.tariffByIntname(intname).id);
const importTariff = (intname: string) =>
  env.runModuleCommand('import_pricelist', ['--subcommand', 'pricelist', '--id', sellingId(intname)]);
const localOf = async (intname: string) =>
  env
    .db('pricelist')
    .where({ remoteid: sellingId(intname) })
    .whereNull('parent')
    .first();

beforeAll(async () => {
  env = await startResellerEnv();
  // The host already has an OS template of its own, offered by a tariff that was not imported.
  const [param] = await env
    .db('itemtypeparam')
    .insert({ itemtype: env.catalog.itemtypes.vds, intname: 'ostempl', name: 'OS' });
  const [centos] = await env
    .db('itemtypeparamvalue')
    .insert({ itemtypeparam: param, intname: 'centos-7', name: 'CentOS 7' });
  localTariff = Number(
    (
      await env
        .db('pricelist')
        .insert({ name: 'Local VPS', itemtype: env.catalog.itemtypes.vds, active: 'on' })
    )[0],
  );
  await env.db('pricelist2itemtypeparamvalue').insert({ pricelist: localTariff, itemtypeparamvalue: centos });
});

afterAll(async () => {
  await env?.close();
});

describe('listing selling tariffs', () => {
  it('lists the available tariffs of a product type as <elem>s, none imported yet', async () => {
    const run = await env.runModuleCommand('import_pricelist', ['--itemtype', 'vds']);
    expect(run.code).toBe(0);
    const elems = asList(run.doc?.elem as XmlNode | XmlNode[] | undefined);
    expect(elems.map((e) => textOf(e.intname))).toEqual(['vps-start', 'vps-pro', 'vps-euro']);
    expect(elems.map((e) => textOf(e.imported))).toEqual(['off', 'off', 'off']);
    expect(elems[0]).toMatchObject({
      id: sellingId('vps-start'),
      name: 'VPS Start',
      currency: 'USD',
      periods: '1,3,12',
    });
  });

  it('lists every resold product type without --itemtype', async () => {
    const run = await env.runModuleCommand('import_pricelist');
    const types = new Set(asList(run.doc?.elem as XmlNode[]).map((e) => textOf(e.itemtype)));
    expect(types).toEqual(new Set(['vds', 'dedic', 'vhost', 'soft', 'certificate']));
  });

  it('refuses an unknown product type and subcommand', async () => {
    const badType = await env.runModuleCommand('import_pricelist', ['--itemtype', 'vps']);
    expect(badType.code).not.toBe(0);
    expect(errorOfDoc(badType.doc)).toMatchObject({ type: 'value', object: 'itemtype' });
    const badSub = await env.runModuleCommand('import_pricelist', ['--subcommand', 'tariff', '--id', '11']);
    expect(errorOfDoc(badSub.doc)).toMatchObject({ type: 'value', object: 'subcommand' });
  });
});

describe('importing a tariff', () => {
  it('creates the tariff, add-ons, OS templates and enumerations, prices converted into RUB', async () => {
    const run = await importTariff('vps-start');
    expect(run.code).toBe(0);
    const report = run.doc?.pricelist as XmlNode;
    expect(report).toMatchObject({
      remoteid: sellingId('vps-start'),
      intname: `${sellingId('vps-start')}-vps-start`,
      status: 'created',
    });

    const tariff = await localOf('vps-start');
    expect(String(tariff.id)).toBe(textOf(report.id));
    expect(tariff).toMatchObject({
      name: 'VPS Start',
      intname: `${sellingId('vps-start')}-vps-start`,
      itemtype: env.catalog.itemtypes.vds,
      project: env.catalog.project,
      active: 'off',
    });
    expect(await env.db('processingmodule2pricelist').where({ pricelist: tariff.id })).toEqual([
      { processingmodule: env.module, pricelist: tariff.id, orderpriority: null },
    ]);
    // 10.00, 27.00, 100.00 USD at 92.45 RUB (the newest rate, not the 2020 one).
    expect(await pricesOf(env.db, tariff.id, env.catalog.currencies.RUB)).toEqual({
      monthly: '924.5000',
      quarterly: '2496.1500',
      annually: '9245.0000',
    });
  });

  it('creates the add-ons as child tariffs keeping the selling add-on ids, limits and units', async () => {
    const tariff = await localOf('vps-start');
    const selling = env.sandbox.state.tariffByIntname('vps-start');
    const addons = await env.db('pricelist').where({ parent: tariff.id }).orderBy('id');
    expect(addons.map((a) => [a.intname, a.remoteid, a.active])).toEqual(
      selling.addons.map((a) => [a.intname, String(a.id), 'on']),
    );
    const ram = addons.find((a) => a.intname === 'ram');
    const measure = await env.db('measure').where({ id: ram.measure }).first();
    expect({ ...ram, measure: measure.intname }).toMatchObject({
      addontype: 2,
      billtype: 2,
      addonlimit: 1024,
      addonmin: 512,
      addonmax: 8192,
      addonstep: 512,
      measure: 'MB',
      itemtype: env.catalog.itemtypes.vds,
    });
    // 0.0100 / 0.0300 / 0.1000 USD per MB: 0.9245 -> 0.92, 2.7735 -> 2.77, 9.245 -> 9.25 (half up, once).
    expect(await pricesOf(env.db, ram.id, env.catalog.currencies.RUB)).toEqual({
      monthly: '0.9200',
      quarterly: '2.7700',
      annually: '9.2500',
    });
    const disk = addons.find((a) => a.intname === 'disk');
    // 0.10 USD is 9.245 RUB exactly, a tie: the one rounding rule (half up) makes 9.25, half-even would make 9.24.
    expect(await pricesOf(env.db, disk.id, env.catalog.currencies.RUB)).toEqual({
      monthly: '9.2500',
      quarterly: '27.7400',
      annually: '92.4500',
    });
  });

  it('imports the enumeration add-on with its items and their prices', async () => {
    const tariff = await localOf('vps-start');
    const panel = await env.db('pricelist').where({ parent: tariff.id, intname: 'panel' }).first();
    const enumeration = await env.db('enumeration').where({ id: panel.enumeration }).first();
    expect(enumeration).toMatchObject({ intname: 'panel', name: 'Panels' });
    const items = await env.db('enumerationitem').where({ enumeration: enumeration.id }).orderBy('id');
    expect(items.map((i) => i.intname)).toEqual(['none', 'isplite', 'isppro']);
    expect(await enumerationPrices(env.db, panel.id)).toEqual({
      none: '0.0000',
      isplite: '462.2500',
      isppro: '924.5000',
    });
  });

  it('assigns the selling OS templates to this tariff only, leaving the host template unassigned', async () => {
    const tariff = await localOf('vps-start');
    expect(await assignedValues(env.db, tariff.id)).toEqual(['debian-12', 'ubuntu-24.04', 'windows-2022']);
    expect(await assignedValues(env.db, localTariff)).toEqual(['centos-7']);
    const debian = await env.db('itemtypeparamvalue').where({ intname: 'debian-12' }).first();
    expect(debian).toMatchObject({ name: 'Debian 12', tags: 'linux,debian' });
    // The host's own ostempl parameter is reused, not duplicated.
    expect(
      await env.db('itemtypeparam').where({ itemtype: env.catalog.itemtypes.vds, intname: 'ostempl' }),
    ).toHaveLength(1);
  });

  it('changes nothing when the same tariff is imported again', async () => {
    const before = await snapshotTariffTables(env.db);
    const run = await importTariff('vps-start');
    expect(run.code).toBe(0);
    expect(run.doc?.pricelist).toMatchObject({ status: 'exists' });
    expect(changesOf(run.doc)).toEqual([]);
    expect(await snapshotTariffTables(env.db)).toEqual(before);
  });

  it('shows imported tariffs as imported in the list', async () => {
    const run = await env.runModuleCommand('import_pricelist', ['--itemtype', 'vds']);
    const start = asList(run.doc?.elem as XmlNode[]).find((e) => textOf(e.intname) === 'vps-start');
    expect(start).toMatchObject({ imported: 'on', pricelist: String((await localOf('vps-start')).id) });
  });

  it('imports two different tariffs of the same type sharing the OS template values', async () => {
    const run = await importTariff('vps-pro');
    expect(run.code).toBe(0);
    const pro = await localOf('vps-pro');
    expect(await assignedValues(env.db, pro.id)).toEqual(['debian-12', 'ubuntu-24.04', 'windows-2022']);
    expect(await env.db('itemtypeparamvalue').where({ intname: 'debian-12' })).toHaveLength(1);
    expect(await env.db('enumeration').where({ intname: 'panel' })).toHaveLength(1);
  });

  it('imports a tariff once when two imports of it run at the same time', async () => {
    const runs = await Promise.all([importTariff('dedic-e3'), importTariff('dedic-e3')]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(runs.map((r) => textOf((r.doc?.pricelist as XmlNode).status)).sort()).toEqual([
      'created',
      'exists',
    ]);
    const tariffs = await env
      .db('pricelist')
      .where({ remoteid: sellingId('dedic-e3') })
      .whereNull('parent');
    expect(tariffs).toHaveLength(1);
    expect(await env.db('pricelist').where({ parent: tariffs[0].id })).toHaveLength(4);
  });
});

describe('refusals: an error document, a non-zero exit and nothing written', () => {
  it('refuses a tariff the selling side does not have', async () => {
    const before = await rowCounts(env.db);
    const run = await env.runModuleCommand('import_pricelist', ['--subcommand', 'pricelist', '--id', '9999']);
    expect(run.code).not.toBe(0);
    expect(errorOfDoc(run.doc)).toMatchObject({ type: 'missed', object: 'pricelist' });
    expect(errorOfDoc(run.doc)?.msg).toContain('9999');
    expect(await rowCounts(env.db)).toEqual(before);
  });

  it('refuses a selling tariff that is not available for ordering', async () => {
    const before = await rowCounts(env.db);
    const run = await importTariff('vps-legacy');
    expect(run.code).not.toBe(0);
    expect(errorOfDoc(run.doc)?.msg).toMatch(/not available/);
    expect(await rowCounts(env.db)).toEqual(before);
  });

  it('refuses when a price currency has no rate, then imports once the rate exists', async () => {
    const eurRates = await env.db('currencyrate').where({ currency: env.catalog.currencies.EUR });
    await env.db('currencyrate').where({ currency: env.catalog.currencies.EUR }).delete();
    const before = await snapshotTariffTables(env.db);
    const refused = await importTariff('vps-euro');
    expect(refused.code).not.toBe(0);
    expect(errorOfDoc(refused.doc)).toMatchObject({ type: 'missed', object: 'currencyrate' });
    expect(errorOfDoc(refused.doc)?.msg).toContain('currency EUR has no rate to the main currency RUB');
    expect(await snapshotTariffTables(env.db)).toEqual(before);

    await env.db('currencyrate').insert(eurRates);
    const imported = await importTariff('vps-euro');
    expect(imported.code).toBe(0);
    // 9.00, 25.00, 90.00 EUR at 100.10 RUB.
    expect(await pricesOf(env.db, (await localOf('vps-euro')).id, env.catalog.currencies.RUB)).toEqual({
      monthly: '900.9000',
      quarterly: '2502.5000',
      annually: '9009.0000',
    });
  });

  it('refuses when the host sells a period the selling tariff does not, until a period mapping covers it', async () => {
    await env
      .db('itemtype')
      .where({ id: env.catalog.itemtypes.certificate })
      .update({ semiannual: 'on', trial: 'on' });
    try {
      const before = await snapshotTariffTables(env.db);
      const refused = await importTariff('alphassl');
      expect(refused.code).not.toBe(0);
      expect(errorOfDoc(refused.doc)).toMatchObject({ type: 'value', object: 'period' });
      expect(errorOfDoc(refused.doc)?.msg).toMatch(/order periods differ: the host sells trial, 6 months/);
      expect(await snapshotTariffTables(env.db)).toEqual(before);

      // One mapping is not enough: both periods must be covered.
      await env.db('bmp_period_mapping').insert({
        processingmodule: env.module,
        source_period: 6,
        target_period: 3,
        itemtype: 'certificate',
      });
      const stillRefused = await importTariff('alphassl');
      expect(errorOfDoc(stillRefused.doc)?.msg).toMatch(/host sells trial which/);
      expect(await snapshotTariffTables(env.db)).toEqual(before);

      await env
        .db('bmp_period_mapping')
        .insert({ processingmodule: env.module, source_period: -100, target_period: 1, itemtype: '' });
      const imported = await importTariff('alphassl');
      expect(imported.code).toBe(0);
      // Sold: 4.00 / 11.00 / 40.00 USD. The host's 6 months are ordered as 3, its trial as 1 month: priced alike.
      expect(await pricesOf(env.db, (await localOf('alphassl')).id, env.catalog.currencies.RUB)).toEqual({
        trial: '369.8000',
        monthly: '369.8000',
        quarterly: '1016.9500',
        semiannual: '1016.9500',
        annually: '3698.0000',
      });
    } finally {
      await env
        .db('itemtype')
        .where({ id: env.catalog.itemtypes.certificate })
        .update({ semiannual: null, trial: null });
      await env.db('bmp_period_mapping').delete();
    }
  });

  it('refuses when the host has no currencies', async () => {
    const currencies = await env.db('currency').select();
    await env.db('currency').delete();
    try {
      const before = await snapshotTariffTables(env.db);
      const run = await importTariff('globalsign-ov');
      expect(run.code).not.toBe(0);
      expect(errorOfDoc(run.doc)).toMatchObject({ type: 'missed', object: 'currency' });
      expect(errorOfDoc(run.doc)?.msg).toContain('the host has no currencies');
      expect(await snapshotTariffTables(env.db)).toEqual(before);
    } finally {
      await env.db('currency').insert(currencies);
    }
  });

  it('refuses a tariff of a product type the host does not have', async () => {
    await env.db('itemtype').where({ id: env.catalog.itemtypes.soft }).update({ intname: 'soft-disabled' });
    try {
      const before = await rowCounts(env.db);
      const run = await importTariff('ispmanager-lite');
      expect(errorOfDoc(run.doc)).toMatchObject({ type: 'missed', object: 'itemtype' });
      expect(await rowCounts(env.db)).toEqual(before);
    } finally {
      await env.db('itemtype').where({ id: env.catalog.itemtypes.soft }).update({ intname: 'soft' });
    }
  });
});

describe('features', () => {
  it('announces import_pricelist and sync_pricelist', async () => {
    const run = await env.runHandler(['--command', 'features']);
    const features = asList((run.doc?.features as XmlNode).feature as XmlNode[]).map((f) => f.$?.name);
    expect(features).toEqual(expect.arrayContaining(['import_pricelist', 'sync_pricelist']));
  });
});
