import { runSandboxCli } from '../../../src/sandbox/cli';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { call } from './selling-http';

const AUTH = { authinfo: 'reseller:reseller-secret' };

async function control(sandbox: Sandbox, method: string, path: string, body?: unknown) {
  const base = sandbox.url.replace(/\/billmgr$/, '');
  const res = await fetch(`${base}${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('sandbox control surface for out-of-process use', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(() => sandbox.close());

  it('activates an ordered service and shows the state as JSON', async () => {
    const tariff = sandbox.state.tariffByIntname('hosting-lite');
    const { doc } = await call(sandbox.url, {
      func: 'vhost.order.param',
      ...AUTH,
      pricelist: tariff.id,
      period: 1,
    });
    expect(doc.ok).toBeUndefined();
    const placed = await call(sandbox.url, {
      func: 'vhost.order.param',
      ...AUTH,
      pricelist: tariff.id,
      period: 1,
      skipbasket: 'on',
      sok: 'ok',
    });
    const activated = await control(sandbox, 'POST', `/sandbox/activate?elid=${String(placed.doc.id)}`);
    expect(activated.status).toBe(200);
    expect(activated.json.item).toMatchObject({ status: 2 });

    const { json } = await control(sandbox, 'GET', '/sandbox/state');
    expect(json.accounts).toContainEqual({
      username: 'reseller',
      level: 'client',
      balance: '997.00',
      currency: 'USD',
    });
    expect(json.events).toEqual([expect.objectContaining({ type: 'setup' })]);
    expect(JSON.stringify(json)).not.toContain('reseller-secret');
  });

  it('switches faults on from a JSON body and refuses a bad one', async () => {
    const armed = await control(sandbox, 'POST', '/sandbox/faults', {
      failNext: { func: 'whoami', fault: { kind: 'http', status: 502 }, times: 1 },
    });
    expect(armed.json).toEqual({ ok: true, pendingFaults: 1 });
    expect((await call(sandbox.url, { func: 'whoami', ...AUTH })).status).toBe(502);

    await control(sandbox, 'POST', '/sandbox/faults', { down: true });
    await expect(call(sandbox.url, { func: 'whoami', ...AUTH })).rejects.toThrow();
    await control(sandbox, 'POST', '/sandbox/faults', { reset: true, latencyMs: 20 });
    expect(sandbox.faults).toMatchObject({ down: false, latencyMs: 20 });

    const bad = await control(sandbox, 'POST', '/sandbox/faults', {
      failNext: { func: 'x', fault: { kind: 'explode' } },
    });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for an unknown control action or path', async () => {
    expect((await control(sandbox, 'GET', '/sandbox/nothing')).status).toBe(404);
    const base = sandbox.url.replace(/\/billmgr$/, '');
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });
});

describe('sandbox CLI', () => {
  it('prints the URL and the seeded accounts, serves until SIGINT, then stops', async () => {
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      const running = runSandboxCli({ autoActivate: true });
      for (let waited = 0; !printed.join('').includes('Ctrl+C') && waited < 5000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const text = printed.join('');
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/billmgr)/.exec(text)?.[1];
      expect(url).toBeDefined();
      expect(text).toContain('reseller');
      expect(text).toContain('admin-secret');
      expect((await call(url ?? '', { func: 'whoami', ...AUTH })).doc.name).toBe('reseller');
      process.emit('SIGINT');
      await running;
      await expect(call(url ?? '', { func: 'whoami', ...AUTH })).rejects.toThrow();
    } finally {
      write.mockRestore();
    }
  });
});
