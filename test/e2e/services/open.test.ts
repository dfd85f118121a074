/** `pmbillmgr --command open` as the core runs it: real handler, sandbox selling panel, MariaDB, host stand-in. */
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

const DEBIAN = { ostempl: 'debian-12' };

let env: ServicesEnv;
let vps: LocalTariff;
let certificate: LocalTariff;

beforeAll(async () => {
  env = await startServicesEnv({ module: { minbalance: '50.00' } });
  vps = await importTariff(env, 'vps-start');
  certificate = await importTariff(env, 'alphassl');
});

afterAll(async () => {
  await env.close();
});

beforeEach(() => {
  env.sandbox.faults.reset();
  env.sandbox.state.setBalance('reseller', '1000.00');
});

function ordersFor(item: number) {
  return env.sandbox.state.calls('vds.order.param').filter((c) => c.params.remoteid === String(item));
}

async function open(item: number, op: number) {
  return env.run(['--command', 'open', '--item', String(item), '--runningoperation', String(op)]);
}

describe('open', () => {
  it('logs to stderr with command, item and module on every line, and no secret', async () => {
    const item = await orderService(env, { tariff: certificate, period: 1 });
    const run = await open(item, await operation(env, item, 'open'));

    expect(run.code).toBe(0);
    const lines = run.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ command: 'open', item, module: env.module });
    expect(run.stderr).not.toContain('reseller-secret');
  });

  it('orders with our id as remoteid, the mapped period, add-ons and OS template, stores the selling id and sets the operation manual', async () => {
    await env.db('bmp_period_mapping').insert({
      processingmodule: env.module,
      source_period: 6,
      target_period: 3,
      itemtype: 'vds',
      pricelist: 0,
    });
    const item = await orderService(env, {
      tariff: vps,
      period: 6,
      params: { ostempl: 'ubuntu-24.04' },
      addons: { ram: 2048 },
      enumerations: { panel: 'isplite' },
    });
    const op = await operation(env, item, 'open');

    const run = await open(item, op);

    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('<doc/>');
    const selling = env.sandbox.state.itemByRemoteid(String(item));
    expect(selling).toBeDefined();
    const tariff = env.sandbox.state.tariffByIntname('vps-start');
    const addon = (intname: string) => tariff.addons.find((a) => a.intname === intname)?.id ?? -1;
    const panel = tariff.addons
      .find((a) => a.intname === 'panel')
      ?.enumeration?.items.find((i) => i.intname === 'isplite');
    expect(selling).toMatchObject({ pricelist: tariff.id, period: 3, status: 1 });
    expect(selling?.params.ostempl).toBe('ubuntu-24.04');
    expect(selling?.addons[addon('ram')]).toBe('2048');
    expect(selling?.addons[addon('panel')]).toBe(String(panel?.id));
    expect(ordersFor(item)[0]?.params).toMatchObject({ skipbasket: 'on', sok: 'ok', period: '3' });
    expect((await itemRow(env.db, item)).remoteid).toBe(String(selling?.id));
    expect((await itemRow(env.db, item)).status).toBe(1);
    expect((await runningOperation(env.db, op))?.manual).toBe('on');
  });

  it('orders a certificate, a type without add-ons or OS', async () => {
    const item = await orderService(env, { tariff: certificate, period: 12 });
    const run = await open(item, await operation(env, item, 'open'));
    expect(run.code).toBe(0);
    expect(env.sandbox.state.itemByRemoteid(String(item))).toMatchObject({
      itemtype: 'certificate',
      period: 12,
    });
  });

  it('never orders twice: the connection drops after the order was placed, and the next open finds it', async () => {
    const item = await orderService(env, { tariff: vps, params: DEBIAN });
    const op = await operation(env, item, 'open');
    env.sandbox.faults.failNext('vds.order.param', { kind: 'dropAfterApply' });

    const first = await open(item, op);
    expect(first.code).not.toBe(0);
    expect(errorOfRun(first)?.type).toBe('connection');
    expect((await runningOperation(env.db, op))?.manual).toBe('off');
    expect((await runningOperation(env.db, op))?.errorxml).toContain('unreachable');
    expect((await itemRow(env.db, item)).remoteid).toBeNull();

    const second = await open(item, op);
    expect(second.code).toBe(0);
    expect(ordersFor(item)).toHaveLength(1);
    const selling = env.sandbox.state.items().filter((i) => i.remoteid === String(item));
    expect(selling).toHaveLength(1);
    expect((await itemRow(env.db, item)).remoteid).toBe(String(selling[0]?.id));
    expect((await runningOperation(env.db, op))?.manual).toBe('on');

    const third = await open(item, op);
    expect(third.code).toBe(0);
    expect(ordersFor(item)).toHaveLength(1);
  });

  it('never orders twice: the order answer has no id and the lookup after it fails, the next open finds it', async () => {
    const item = await orderService(env, { tariff: vps, params: DEBIAN });
    const op = await operation(env, item, 'open');
    env.sandbox.faults.omitOrderId = true;
    // The first `vds` list is the look-up before ordering; every later one (and its retries) drops.
    env.sandbox.faults.failNext('vds', { kind: 'drop' }, 10, { after: 1 });

    const first = await open(item, op);
    expect(first.code).not.toBe(0);
    expect(ordersFor(item)).toHaveLength(1);
    expect((await itemRow(env.db, item)).remoteid).toBeNull();
    expect((await runningOperation(env.db, op))?.manual).toBe('off');

    env.sandbox.faults.reset();
    const second = await open(item, op);
    expect(second.code).toBe(0);
    expect(ordersFor(item)).toHaveLength(1);
    expect((await itemRow(env.db, item)).remoteid).toBe(
      String(env.sandbox.state.itemByRemoteid(String(item))?.id),
    );
    expect((await runningOperation(env.db, op))?.manual).toBe('on');
  });

  it('orders once when two opens of the same service run at the same time', async () => {
    const item = await orderService(env, { tariff: vps, params: DEBIAN });
    const op = await operation(env, item, 'open');
    env.sandbox.faults.latencyMs = 300;

    const [a, b] = await Promise.all([open(item, op), open(item, op)]);

    expect([a.code, b.code]).toEqual([0, 0]);
    expect(ordersFor(item)).toHaveLength(1);
    expect((await itemRow(env.db, item)).remoteid).toBe(
      String(env.sandbox.state.itemByRemoteid(String(item))?.id),
    );
  });

  it('finds the selling id by remoteid when the order answer leaves it out', async () => {
    const item = await orderService(env, { tariff: vps, params: DEBIAN });
    env.sandbox.faults.omitOrderId = true;
    const run = await open(item, await operation(env, item, 'open'));
    expect(run.code).toBe(0);
    expect((await itemRow(env.db, item)).remoteid).toBe(
      String(env.sandbox.state.itemByRemoteid(String(item))?.id),
    );
  });

  it("refuses while the selling balance is below the module's minimal balance, and leaves the operation for a later try", async () => {
    env.sandbox.state.setBalance('reseller', '49.99');
    const item = await orderService(env, { tariff: vps, params: DEBIAN });
    const op = await operation(env, item, 'open');

    const run = await open(item, op);

    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'balance' });
    expect(errorOfRun(run)?.msg).toContain('49.99 USD');
    expect(ordersFor(item)).toHaveLength(0);
    expect(await env.mgrctlCalls('runningoperation.setmanual')).not.toContainEqual(
      expect.objectContaining({ params: { elid: String(op) } }),
    );
    const saved = await runningOperation(env.db, op);
    expect(saved?.manual).toBe('off');
    expect(saved?.errorxml).toContain('minimal balance');

    env.sandbox.state.setBalance('reseller', '1000.00');
    expect((await open(item, op)).code).toBe(0);
    expect(ordersFor(item)).toHaveLength(1);
  });

  it.each([
    ['HTTP 503', { kind: 'http', status: 503 } as const, 'HTTP 503'],
    ['a malformed answer', { kind: 'malformed' } as const, 'malformed'],
    [
      'an error document',
      { kind: 'error', type: 'value', object: 'pricelist', msg: 'tariff is closed for orders' } as const,
      'tariff is closed',
    ],
  ])(
    'turns %s on the order into an error document saved on the operation, ordering nothing',
    async (_name, fault, text) => {
      const item = await orderService(env, { tariff: vps, params: DEBIAN });
      const op = await operation(env, item, 'open');
      env.sandbox.faults.failNext('vds.order.param', fault);

      const run = await open(item, op);

      expect(run.code).not.toBe(0);
      expect(errorOfRun(run)?.msg).toContain(text);
      expect((await runningOperation(env.db, op))?.errorxml).toContain(text);
      expect((await runningOperation(env.db, op))?.manual).toBe('off');
      expect(env.sandbox.state.itemByRemoteid(String(item))).toBeUndefined();
      expect((await itemRow(env.db, item)).remoteid).toBeNull();
      // The order itself is never repeated by the client: one attempt only.
      expect(ordersFor(item)).toHaveLength(1);
    },
  );

  it('gives up on a selling panel that does not answer, within the configured timeout and retries', async () => {
    const item = await orderService(env, { tariff: vps, params: DEBIAN });
    const op = await operation(env, item, 'open');
    env.sandbox.faults.failNext('vds', { kind: 'hang' }, 2);

    const started = Date.now();
    const run = await env.run(
      ['--command', 'open', '--item', String(item), '--runningoperation', String(op)],
      {
        env: { BMP_HTTP_TIMEOUT_MS: '500', BMP_HTTP_RETRIES: '1' },
      },
    );

    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)?.msg).toContain('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(env.sandbox.state.calls('vds').filter((c) => c.params.remoteid === String(item))).toHaveLength(2);
    expect((await runningOperation(env.db, op))?.errorxml).toContain('ETIMEDOUT');
  });

  it('says so for a service that does not exist', async () => {
    const run = await open(999999, await operation(env, 999999, 'open'));
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'missed', object: 'item' });
    expect(errorOfRun(run)?.msg).toContain('service 999999 does not exist');
  });

  it('refuses a service whose tariff was not imported from the selling side', async () => {
    const { itemtype } = (await env.db('pricelist').where({ id: vps.id }).first('itemtype')) as {
      itemtype: number;
    };
    const [pricelist] = await env
      .db('pricelist')
      .insert({ name: 'Local only', itemtype, intname: 'local-only' });
    const item = await orderService(env, {
      tariff: { ...vps, id: Number(pricelist), addons: {} },
      params: DEBIAN,
    });
    const run = await open(item, await operation(env, item, 'open'));
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'missed', object: 'pricelist' });
    expect(ordersFor(item)).toHaveLength(0);
  });
});

describeCallsInSdkForm(() => env);
