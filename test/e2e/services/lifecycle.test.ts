/** suspend, resume, setparam, prolong and close of a resold service, each run twice, as real handler processes. */
import { addMonths } from '../../../src/domain/dates';
import {
  describeCallsInSdkForm,
  errorOfRun,
  importTariff,
  itemRow,
  operation,
  orderService,
  runningOperation,
  startServicesEnv,
  type LocalTariff,
  type ServicesEnv,
} from '../../support/services';

let env: ServicesEnv;
let vps: LocalTariff;

beforeAll(async () => {
  env = await startServicesEnv();
  vps = await importTariff(env, 'vps-start');
});

afterAll(async () => {
  await env.close();
});

beforeEach(() => env.sandbox.faults.reset());

/** A service ordered through `open` and activated by the selling side; returns our id and the selling id. */
async function activeService(
  fixture: Partial<Parameters<typeof orderService>[1]> = {},
): Promise<{ item: number; selling: number }> {
  const item = await orderService(env, { tariff: vps, params: { ostempl: 'debian-12' }, ...fixture });
  const opened = await env.run([
    '--command',
    'open',
    '--item',
    String(item),
    '--runningoperation',
    String(await operation(env, item, 'open')),
  ]);
  expect(opened.code).toBe(0);
  const selling = Number((await itemRow(env.db, item)).remoteid);
  env.sandbox.state.activate(selling);
  await env
    .db('item')
    .where({ id: item })
    .update({ status: 2, expiredate: env.sandbox.state.item(selling).expiredate });
  return { item, selling };
}

/** Runs `command` for the service under a fresh running operation; returns the run and the operation id. */
async function runOperation(command: string, item: number) {
  const op = await operation(env, item, command);
  const run = await env.run(['--command', command, '--item', String(item), '--runningoperation', String(op)]);
  return { run, op };
}

function callsOf(func: string, selling: number) {
  return env.sandbox.state.calls(func).filter((c) => c.params.elid === String(selling));
}

describe('suspend and resume', () => {
  it('suspends on the selling side and sets the operation manual; a repeat sends nothing and succeeds', async () => {
    const { item, selling } = await activeService();

    const first = await runOperation('suspend', item);
    expect(first.run.code).toBe(0);
    expect(env.sandbox.state.item(selling).status).toBe(3);
    expect((await runningOperation(env.db, first.op))?.manual).toBe('on');
    // The core learns the outcome from the selling side's event, not from the module.
    expect((await itemRow(env.db, item)).status).toBe(2);

    const again = await runOperation('suspend', item);
    expect(again.run.code).toBe(0);
    expect(callsOf('vds.suspend', selling)).toHaveLength(1);
    expect((await runningOperation(env.db, again.op))?.manual).toBe('on');

    const resumed = await runOperation('resume', item);
    expect(resumed.run.code).toBe(0);
    expect(env.sandbox.state.item(selling).status).toBe(2);
    expect((await runOperation('resume', item)).run.code).toBe(0);
    expect(callsOf('vds.resume', selling)).toHaveLength(1);
  });

  it('refuses to suspend a service deleted on the selling side', async () => {
    const { item, selling } = await activeService();
    env.sandbox.state.remove(selling);
    const { run, op } = await runOperation('suspend', item);
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)?.msg).toContain(`selling service ${selling} is deleted`);
    expect((await runningOperation(env.db, op))?.manual).toBe('off');
    expect((await runningOperation(env.db, op))?.errorxml).toContain('is deleted');
  });

  it('saves a selling-side HTTP 503 on the operation and leaves it for the core to retry', async () => {
    const { item, selling } = await activeService();
    env.sandbox.faults.failNext('vds.suspend', { kind: 'http', status: 503 });
    const { run, op } = await runOperation('suspend', item);
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)?.msg).toContain('HTTP 503');
    expect(await runningOperation(env.db, op)).toMatchObject({ manual: 'off' });
    expect((await runningOperation(env.db, op))?.errorxml).toContain('HTTP 503');
    expect(env.sandbox.state.item(selling).status).toBe(2);
  });
});

describe('setparam', () => {
  it('sends add-on values and parameters; a repeat changes nothing on the selling side', async () => {
    const { item, selling } = await activeService({ addons: { ram: 1024 } });
    const ram =
      env.sandbox.state.tariffByIntname('vps-start').addons.find((a) => a.intname === 'ram')?.id ?? -1;
    await env.db('item').where({ parent: item, pricelist: vps.addons.ram }).update({ intvalue: 4096 });
    await env.db('itemparam').insert({ item, intname: 'hostname', value: 'web1.example.test' });
    await env.db('itemparam').where({ item, intname: 'ostempl' }).update({ value: 'windows-2022' });

    const { run, op } = await runOperation('setparam', item);

    expect(run.code).toBe(0);
    const changed = env.sandbox.state.item(selling);
    expect(changed.addons[ram]).toBe('4096');
    expect(changed.params.hostname).toBe('web1.example.test');
    // The OS template is chosen at order time; an edit never reinstalls.
    expect(changed.params.ostempl).toBe('debian-12');
    expect((await runningOperation(env.db, op))?.manual).toBe('on');
    const events = () =>
      env.sandbox.state
        .events()
        .filter((e) => e.item === selling && (e.type === 'addon' || e.type === 'param'));
    expect(events()).toHaveLength(2);

    expect((await runOperation('setparam', item)).run.code).toBe(0);
    expect(events()).toHaveLength(2);
  });
});

describe('prolong', () => {
  it('prolongs by the mapped period, once: a repeat finds the selling service paid up to our expiry date', async () => {
    const { item, selling } = await activeService({ period: 1 });
    await env.db('bmp_period_mapping').insert({
      processingmodule: env.module,
      source_period: 1,
      target_period: 3,
      itemtype: 'vds',
      pricelist: vps.id,
    });
    const before = env.sandbox.state.item(selling).expiredate;
    // The core moves our expiry date, then asks the module to prolong.
    await env
      .db('item')
      .where({ id: item })
      .update({ expiredate: addMonths(before, 3) });
    const balance = env.sandbox.state.balance().minor;

    const first = await runOperation('prolong', item);

    expect(first.run.code).toBe(0);
    expect(callsOf('service.prolong', selling).map((c) => c.params.period)).toEqual(['3']);
    expect(env.sandbox.state.item(selling).expiredate).toBe(addMonths(before, 3));
    expect(env.sandbox.state.balance().minor).toBeLessThan(balance);
    expect((await runningOperation(env.db, first.op))?.manual).toBe('on');

    const again = await runOperation('prolong', item);
    expect(again.run.code).toBe(0);
    expect(callsOf('service.prolong', selling)).toHaveLength(1);
    expect(env.sandbox.state.item(selling).expiredate).toBe(addMonths(before, 3));
    await env.db('bmp_period_mapping').where({ processingmodule: env.module }).delete();
  });
});

describe('prolong below the minimal balance', () => {
  it('is refused and left for a later try, prolonging nothing', async () => {
    const { item, selling } = await activeService();
    await env
      .db('item')
      .where({ id: item })
      .update({ expiredate: addMonths(env.sandbox.state.item(selling).expiredate, 1) });
    await env
      .db('processingparam')
      .insert({ processingmodule: env.module, intname: 'minbalance', value: '5000' });
    try {
      const { run, op } = await runOperation('prolong', item);
      expect(run.code).not.toBe(0);
      expect(errorOfRun(run)).toMatchObject({ type: 'balance' });
      expect(await runningOperation(env.db, op)).toMatchObject({ manual: 'off' });
      expect(callsOf('service.prolong', selling)).toHaveLength(0);
    } finally {
      await env.db('processingparam').where({ processingmodule: env.module, intname: 'minbalance' }).delete();
    }
  });
});

describe('close', () => {
  it('deletes on the selling side; closing again, or closing a service never ordered, is fine', async () => {
    const { item, selling } = await activeService();

    const first = await runOperation('close', item);
    expect(first.run.code).toBe(0);
    expect(env.sandbox.state.item(selling).status).toBe(4);
    expect((await runningOperation(env.db, first.op))?.manual).toBe('on');

    expect((await runOperation('close', item)).run.code).toBe(0);
    expect(callsOf('vds.delete', selling)).toHaveLength(1);

    const neverOrdered = await orderService(env, { tariff: vps, params: { ostempl: 'debian-12' } });
    const closed = await runOperation('close', neverOrdered);
    expect(closed.run.code).toBe(0);
    expect(env.sandbox.state.calls('vds.delete')).toHaveLength(1);
  });
});

describeCallsInSdkForm(() => env);
