/** sync_item and `billmgr-plugin items sync`: status and expiry drift repaired through the core (host stand-in). */
import { execFile } from 'node:child_process';
import { projectPath } from '../../../src/paths';
import {
  docOf,
  errorOfRun,
  importTariff,
  itemRow,
  orderService,
  runUnderOperation,
  startServicesEnv,
  type LocalTariff,
  type ServicesEnv,
} from '../../support/services';

let env: ServicesEnv;
let vps: LocalTariff;
let hosting: LocalTariff;

beforeAll(async () => {
  env = await startServicesEnv();
  vps = await importTariff(env, 'vps-start');
  hosting = await importTariff(env, 'hosting-lite');
});

afterAll(async () => {
  await env.close();
});

/** Ordered through `open`, activated by the selling side, and active here with the same expiry date. */
async function syncedService(tariff: LocalTariff = vps): Promise<{ item: number; selling: number }> {
  const params: Record<string, string> = tariff === vps ? { ostempl: 'debian-12' } : {};
  const item = await orderService(env, { tariff, params });
  const opened = await runUnderOperation(env, 'open', item);
  expect(opened.code).toBe(0);
  const selling = Number((await itemRow(env.db, item)).remoteid);
  const activated = env.sandbox.state.activate(selling);
  await env
    .db('item')
    .where({ id: item })
    .update({ status: 2, opendate: activated.opendate, expiredate: activated.expiredate });
  return { item, selling };
}

function syncItem(item: number) {
  return env.run(['--command', 'sync_item', '--item', String(item)]);
}

function changes(run: Awaited<ReturnType<typeof syncItem>>) {
  const change = docOf(run).change as
    { $: Record<string, string> } | { $: Record<string, string> }[] | undefined;
  return (Array.isArray(change) ? change : change ? [change] : []).map((c) => c.$);
}

describe('sync_item', () => {
  it('repairs status and expiry drift through the core and prints what changed; a second run finds nothing', async () => {
    const { item, selling } = await syncedService();
    env.sandbox.state.suspend(selling);
    env.sandbox.state.item(selling).expiredate = '2031-05-17';
    const before = (await itemRow(env.db, item)).expiredate as string;

    const run = await syncItem(item);

    expect(run.code).toBe(0);
    expect(changes(run)).toEqual([
      { name: 'status', old: '2', new: '3', via: 'service.postsuspend' },
      { name: 'expiredate', old: before, new: '2031-05-17', via: 'service.setexpiredate' },
    ]);
    expect(await itemRow(env.db, item)).toMatchObject({ status: 3, expiredate: '2031-05-17' });
    expect((await env.mgrctlCalls('service.setexpiredate')).map((c) => c.params)).toContainEqual({
      elid: String(item),
      expiredate: '2031-05-17',
      sok: 'ok',
    });

    const again = await syncItem(item);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('<doc/>');
  });

  it('opens a service the selling side activated while we missed the event', async () => {
    const { item } = await syncedService();
    await env.db('item').where({ id: item }).update({ status: 1, opendate: null });
    const run = await syncItem(item);
    expect(changes(run)).toEqual([{ name: 'status', old: '1', new: '2', via: 'service.postopen' }]);
    expect((await itemRow(env.db, item)).status).toBe(2);
    expect((await itemRow(env.db, item)).opendate).not.toBeNull();
  });

  it('closes a service deleted on the selling side', async () => {
    const { item, selling } = await syncedService();
    env.sandbox.state.remove(selling);
    const run = await syncItem(item);
    expect(changes(run)).toEqual([{ name: 'status', old: '2', new: '4', via: 'service.postclose' }]);
    expect((await itemRow(env.db, item)).status).toBe(4);
  });

  it('leaves a service deleted here but active there to a person, and says so', async () => {
    const { item } = await syncedService();
    await env.db('item').where({ id: item }).update({ status: 4 });
    const run = await syncItem(item);
    expect(run.code).toBe(0);
    expect(docOf(run).unrepaired).toMatchObject({ $: { name: 'status', here: '4', selling: '2' } });
    expect((await itemRow(env.db, item)).status).toBe(4);
  });

  it('fails with an error document for a service never ordered on the selling side', async () => {
    const item = await orderService(env, { tariff: vps, params: { ostempl: 'debian-12' } });
    const run = await syncItem(item);
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'missed', object: 'item' });
    expect(errorOfRun(run)?.msg).toContain('no selling service was ordered');
  });
});

describe('billmgr-plugin items sync', () => {
  function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [projectPath('bin', 'billmgr-plugin'), ...args],
        { env: { PATH: process.env.PATH ?? '', ...env.env }, encoding: 'utf8' },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('repairs every service of the module, reading each selling list once, with a progress bar and a JSON summary', async () => {
    await env.db('item').where({ processingmodule: env.module }).update({ processingmodule: null });
    const suspended = await syncedService();
    const prolonged = await syncedService(hosting);
    const inSync = await syncedService();
    const neverOrdered = await orderService(env, { tariff: vps, params: { ostempl: 'debian-12' } });
    env.sandbox.state.suspend(suspended.selling);
    env.sandbox.state.item(prolonged.selling).expiredate = '2030-01-31';
    env.sandbox.state.clearCalls();

    const run = await cli(['--json', 'items', 'sync', '--module', String(env.module)]);

    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      items: number;
      unchanged: number;
      missing: number[];
      failed: unknown[];
      repaired: { item: number; repaired: { field: string; to: unknown }[] }[];
    };
    expect(summary).toMatchObject({ items: 4, unchanged: 1, missing: [neverOrdered], failed: [] });
    expect(summary.repaired.map((r) => [r.item, r.repaired.map((c) => [c.field, c.to])])).toEqual([
      [suspended.item, [['status', 3]]],
      [prolonged.item, [['expiredate', '2030-01-31']]],
    ]);
    expect((await itemRow(env.db, suspended.item)).status).toBe(3);
    expect((await itemRow(env.db, prolonged.item)).expiredate).toBe('2030-01-31');
    expect((await itemRow(env.db, inSync.item)).status).toBe(2);
    expect(env.sandbox.state.calls('vds')).toHaveLength(1);
    expect(env.sandbox.state.calls('vhost')).toHaveLength(1);

    const readable = await cli(['items', 'sync', '--module', String(env.module)]);
    expect(readable.code).toBe(0);
    expect(readable.stderr).toContain('services');
    expect(readable.stderr).toContain('4/4');
    expect(readable.stdout).toContain('4 services, 0 repaired, 3 unchanged, 1 missing, 0 failed');
  });
});
