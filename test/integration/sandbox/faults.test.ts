import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { call, errorOf, type Params } from './selling-http';

const AUTH = { authinfo: 'reseller:reseller-secret' };

describe('sandbox fault switches', () => {
  let sandbox: Sandbox;
  let orderParams: Params;

  beforeEach(async () => {
    sandbox = await startSandbox();
    const tariff = sandbox.state.tariffByIntname('vps-start');
    orderParams = { func: 'vds.order.param', ...AUTH, pricelist: tariff.id, period: 1, ostempl: 'debian-12' };
    Object.assign(orderParams, { skipbasket: 'on', sok: 'ok', remoteid: 500 });
  });
  afterEach(() => sandbox.close());

  it('delays every answer by latencyMs', async () => {
    sandbox.faults.latencyMs = 150;
    const started = Date.now();
    await call(sandbox.url, { func: 'whoami', ...AUTH });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers an injected error document without doing the work, for the given number of calls', async () => {
    sandbox.faults.failNext(
      'vds.order.param',
      { kind: 'error', type: 'exists', object: 'remoteid', msg: 'busy' },
      2,
    );
    for (let i = 0; i < 2; i++) {
      const { doc } = await call(sandbox.url, orderParams);
      expect(errorOf(doc)).toEqual({ type: 'exists', object: 'remoteid', msg: 'busy' });
    }
    expect(sandbox.state.items()).toEqual([]);
    expect((await call(sandbox.url, orderParams)).doc.id).toBeDefined();
    expect(sandbox.state.calls('vds.order.param').map((c) => c.fault)).toEqual(['error', 'error', undefined]);
  });

  it('answers an injected HTTP 503 to any function with "*"', async () => {
    sandbox.faults.failNext('*', { kind: 'http', status: 503 });
    expect((await call(sandbox.url, { func: 'whoami', ...AUTH })).status).toBe(503);
    expect((await call(sandbox.url, { func: 'whoami', ...AUTH })).status).toBe(200);
  });

  it('drops the connection before doing anything', async () => {
    sandbox.faults.failNext('vds.order.param', { kind: 'drop' });
    await expect(call(sandbox.url, orderParams)).rejects.toThrow();
    expect(sandbox.state.items()).toEqual([]);
  });

  it('drops the connection after placing the order: applied, charged, but never answered', async () => {
    sandbox.faults.failNext('vds.order.param', { kind: 'dropAfterApply' });
    await expect(call(sandbox.url, orderParams)).rejects.toThrow();
    expect(sandbox.state.itemByRemoteid('500')).toBeDefined();
    expect(sandbox.state.balance('reseller').minor).toBe(99000n);
  });

  it('answers a malformed document that an XML parser rejects', async () => {
    sandbox.faults.failNext('whoami', { kind: 'malformed' });
    await expect(call(sandbox.url, { func: 'whoami', ...AUTH })).rejects.toThrow(/malformed/);
  });

  it('never answers a hanging call', async () => {
    sandbox.faults.failNext('whoami', { kind: 'hang' });
    await expect(
      call(sandbox.url, { func: 'whoami', ...AUTH }, { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
  });

  it('drops every call while down, and answers again once up', async () => {
    sandbox.faults.down = true;
    await expect(call(sandbox.url, { func: 'whoami', ...AUTH })).rejects.toThrow();
    sandbox.faults.down = false;
    expect((await call(sandbox.url, { func: 'whoami', ...AUTH })).doc.name).toBe('reseller');
  });

  it('forgets every switch on reset()', async () => {
    sandbox.faults.failNext('*', { kind: 'drop' }, 3);
    sandbox.faults.latencyMs = 5000;
    sandbox.faults.down = true;
    sandbox.faults.reset();
    expect(sandbox.faults.pending).toBe(0);
    expect((await call(sandbox.url, { func: 'whoami', ...AUTH })).doc.name).toBe('reseller');
  });
});
