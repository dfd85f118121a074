/** Service import (`--command import` and `billmgr-plugin items import`): matching, refusals, tariff notice, assignment. */
import { execFile } from 'node:child_process';
import { addIpAddon } from '../../../src/host-standin/panel';
import { projectPath } from '../../../src/paths';
import type { XmlNode } from '../../../src/contract/xml';
import {
  docOf,
  errorOfRun,
  importTariff,
  itemRow,
  orderService,
  startServicesEnv,
  type HandlerRun,
  type LocalTariff,
  type ServicesEnv,
} from '../../support/services';

let env: ServicesEnv;
let vps: LocalTariff;
let license: LocalTariff;

beforeAll(async () => {
  env = await startServicesEnv();
  vps = await importTariff(env, 'vps-start');
  // The provider's IP add-on on the VPS tariff: where the core keeps a service's addresses.
  vps.addons.ip = await addIpAddon(env.db, vps.id);
  await importTariff(env, 'hosting-lite');
  license = await importTariff(env, 'ispmanager-lite');
});

afterAll(async () => {
  await env.close();
});

function importServices(itemtype: string, searchstring?: string): Promise<HandlerRun> {
  return env.runModuleCommand('import', [
    '--itemtype',
    itemtype,
    ...(searchstring ? ['--searchstring', searchstring] : []),
  ]);
}

/** `<service>` results by selling service name. */
function results(run: HandlerRun): Record<string, Record<string, string>> {
  const services = docOf(run).service as XmlNode | XmlNode[] | undefined;
  const list = Array.isArray(services) ? services : services ? [services] : [];
  return Object.fromEntries(list.map((s) => [s.$?.name ?? '', s.$ ?? {}]));
}

function sellingTariff(intname: string): number {
  return env.sandbox.state.tariffByIntname(intname).id;
}

/** A local service of `tariff` holding an IP address or a parameter, as an earlier order left it. */
async function localService(
  tariff: LocalTariff,
  identity: { ip?: string; params?: Record<string, string> },
): Promise<number> {
  const item = await orderService(env, {
    tariff,
    status: 2,
    ...(identity.params ? { params: identity.params } : {}),
  });
  if (identity.ip) {
    const addon = (await env.db('item').where({ parent: item, pricelist: tariff.addons.ip }).first('id')) as {
      id: number;
    };
    await env.db('ip').insert({ item: addon.id, name: identity.ip });
  }
  return item;
}

describe('import of VPS: matched by IP address, filtered by name mask', () => {
  it('imports what is new, refuses what is already here, and changes nothing when run again', async () => {
    const state = env.sandbox.state;
    const fresh = state.addItem({
      pricelist: sellingTariff('vps-start'),
      name: 'web-1',
      ips: ['198.51.100.201'],
      expiredate: '2027-03-01',
      period: 3,
    });
    state.addItem({ pricelist: sellingTariff('vps-start'), name: 'web-2', ips: ['198.51.100.202'] });
    state.addItem({ pricelist: sellingTariff('vps-start'), name: 'db-1', ips: ['198.51.100.203'] });
    const existing = await localService(vps, { ip: '198.51.100.202' });

    const run = await importServices('vds', 'web*');

    expect(run.code).toBe(0);
    const byName = results(run);
    expect(Object.keys(byName).sort()).toEqual(['web-1', 'web-2']);
    expect(byName['web-2']).toMatchObject({
      result: 'exists',
      item: String(existing),
      match: 'ip',
      value: '198.51.100.202',
    });
    expect(byName['web-1']).toMatchObject({ result: 'imported', id: String(fresh.id) });
    const imported = Number(byName['web-1']?.item);
    expect(await itemRow(env.db, imported)).toMatchObject({
      processingmodule: env.module,
      pricelist: vps.id,
      remoteid: String(fresh.id),
      name: 'web-1',
      status: 2,
      expiredate: '2027-03-01',
      period: 3,
    });
    const ipAddon = (await env
      .db('item')
      .where({ parent: imported, pricelist: vps.addons.ip })
      .first('id')) as {
      id: number;
    };
    expect(await env.db('ip').where({ item: ipAddon.id }).pluck('name')).toEqual(['198.51.100.201']);
    expect((await env.mgrctlCalls('service.ip.add')).map((c) => c.params)).toEqual([
      { elid: String(ipAddon.id), ip: '198.51.100.201', mask: '', gateway: '', domain: '', sok: 'ok' },
    ]);
    expect(docOf(run).summary).toMatchObject({
      $: { listed: '2', imported: '1', exists: '1', no_tariff: '0', failed: '0' },
    });

    const again = await importServices('vds', 'web*');
    expect(results(again)['web-1']).toMatchObject({
      result: 'exists',
      item: String(imported),
      match: 'remoteid',
    });
    expect(
      await env
        .db('item')
        .where({ remoteid: String(fresh.id) })
        .pluck('id'),
    ).toEqual([imported]);
  });

  it('imports each service once when two imports run at the same time', async () => {
    for (const name of ['twin-1', 'twin-2', 'twin-3'])
      env.sandbox.state.addItem({ pricelist: sellingTariff('vps-start'), name });
    env.sandbox.faults.latencyMs = 200;

    const runs = await Promise.all([importServices('vds', 'twin-*'), importServices('vds', 'twin-*')]);

    env.sandbox.faults.latencyMs = 0;
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(runs.flatMap((r) => Object.values(results(r)).map((o) => o.result)).sort()).toEqual([
      'exists',
      'exists',
      'exists',
      'imported',
      'imported',
      'imported',
    ]);
    expect(await env.db('item').where('name', 'like', 'twin-%')).toHaveLength(3);
  });

  it('reports progress in the log every 25 services of a long list', async () => {
    for (let n = 1; n <= 26; n += 1)
      env.sandbox.state.addItem({ pricelist: sellingTariff('vps-start'), name: `bulk-${n}` });
    const run = await importServices('vds', 'bulk-*');
    expect(docOf(run).summary).toMatchObject({ $: { listed: '26', imported: '26' } });
    expect(run.stderr).toContain('import: 25 of 26 services done');
    expect(run.stderr).toContain('import: 26 of 26 services done');
  });
});

describe('import of hosting and licenses: matched by username and control-panel id', () => {
  it('refuses a hosting account whose username is already a service here, and keeps the username of one it imports', async () => {
    const site = env.sandbox.state.addItem({ pricelist: sellingTariff('hosting-lite'), name: 'site-a' });
    const neighbour = env.sandbox.state.addItem({ pricelist: sellingTariff('hosting-lite'), name: 'site-b' });
    expect(site.username).not.toBe(neighbour.username);

    const run = await importServices('vhost');

    const imported = Number(results(run)['site-a']?.item);
    expect(results(run)['site-a']).toMatchObject({ result: 'imported', id: String(site.id) });
    expect(results(run)['site-b']).toMatchObject({ result: 'imported', id: String(neighbour.id) });
    expect(await env.db('itemparam').where({ item: imported, intname: 'username' }).pluck('value')).toEqual([
      site.username,
    ]);

    await env.db('item').where({ id: imported }).update({ remoteid: null });
    const again = await importServices('vhost');
    expect(results(again)['site-a']).toMatchObject({
      result: 'exists',
      item: String(imported),
      match: 'username',
      value: site.username,
    });
  });

  it('refuses a license whose panel id is already a service here, and assigns the others to a client from the CLI', async () => {
    const taken = env.sandbox.state.addItem({ pricelist: sellingTariff('ispmanager-lite'), name: 'lic-a' });
    const free = env.sandbox.state.addItem({ pricelist: sellingTariff('ispmanager-lite'), name: 'lic-b' });
    const existing = await localService(license, { params: { panelid: taken.panelid } });

    const run = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const args = [
        '--json',
        'items',
        'import',
        '--module',
        String(env.module),
        '--itemtype',
        'soft',
        '--account',
        String(env.account),
      ];
      execFile(
        process.execPath,
        [projectPath('bin', 'billmgr-plugin'), ...args],
        { env: { PATH: process.env.PATH ?? '', ...env.env }, encoding: 'utf8' },
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout }),
      );
    });

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      outcomes: { name: string; result: string; item: number; match?: string }[];
    };
    const outcome = (name: string) => report.outcomes.find((o) => o.name === name);
    expect(outcome('lic-a')).toMatchObject({ result: 'exists', item: existing, match: 'panelid' });
    expect(outcome('lic-b')).toMatchObject({ result: 'imported', assigned: true });
    const imported = outcome('lic-b')?.item ?? 0;
    expect(await itemRow(env.db, imported)).toMatchObject({
      account: env.account,
      pricelist: license.id,
      remoteid: String(free.id),
    });
    expect((await env.mgrctlCalls('processing.import.assign')).map((c) => c.params)).toContainEqual({
      elid: String(imported),
      account: String(env.account),
      [`pricelist_${imported}`]: String(license.id),
      sok: 'ok',
    });
  });
});

describe('a service whose tariff is not imported', () => {
  it('is reported with the selling tariff to import first, and imported once the tariff is there', async () => {
    const dedicTariff = sellingTariff('dedic-e3');
    env.sandbox.state.addItem({ pricelist: dedicTariff, name: 'rack-1' });

    const run = await importServices('dedic');

    expect(run.code).toBe(0);
    expect(results(run)['rack-1']).toMatchObject({ result: 'no_tariff', pricelist: String(dedicTariff) });
    const notice = docOf(run).notice as XmlNode;
    expect(notice.$).toMatchObject({
      type: 'import_pricelist',
      pricelist: String(dedicTariff),
      itemtype: 'dedic',
    });
    expect(String(notice._)).toContain(`--subcommand pricelist --id ${dedicTariff}`);
    expect(await env.db('item').where({ name: 'rack-1' })).toHaveLength(0);

    await importTariff(env, 'dedic-e3');
    expect(results(await importServices('dedic'))['rack-1']).toMatchObject({ result: 'imported' });
  });
});

describe('refusals', () => {
  it('refuses a type that cannot be imported', async () => {
    const run = await importServices('certificate');
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'value', object: 'itemtype' });
  });

  it('gives an error document when the selling list cannot be read, importing nothing', async () => {
    env.sandbox.faults.failNext('vds', { kind: 'malformed' });
    const before = await env.db('item').count({ n: '*' });
    const run = await importServices('vds');
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)?.type).toBe('xml');
    expect(await env.db('item').count({ n: '*' })).toEqual(before);
  });
});
