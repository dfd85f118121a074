import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { call, errorOf, get, login } from './selling-http';

describe('sandbox sessions and accounts', () => {
  let clock = new Date('2025-03-01T10:00:00Z');
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ sessionTtlMs: 60_000, now: () => clock });
  });
  afterAll(() => sandbox.close());

  it('answers whoami for a session opened with func=auth', async () => {
    const sid = await login(sandbox.url);
    expect(sid).toMatch(/^[0-9a-f]{32}$/);
    const { doc } = await call(sandbox.url, { func: 'whoami', auth: sid });
    expect(doc.name).toBe('reseller');
    expect(doc.level).toBe('client');
    expect(doc.balance).toEqual({ _: '1000.00', $: { currency: 'USD' } });
  });

  it('reports the admin level for the admin account', async () => {
    const { doc } = await get(sandbox.url, { func: 'whoami', authinfo: 'admin:admin-secret' });
    expect(doc.level).toBe('admin');
  });

  it('refuses a wrong password with an auth error and no session', async () => {
    const { doc } = await call(sandbox.url, { func: 'auth', username: 'reseller', password: 'guess' });
    expect(errorOf(doc)?.type).toBe('auth');
    expect(doc.auth).toBeUndefined();
  });

  it('takes stateless authinfo=user:pass and refuses a wrong one', async () => {
    const ok = await call(sandbox.url, { func: 'whoami', authinfo: 'reseller:reseller-secret' });
    expect(ok.doc.name).toBe('reseller');
    const bad = await call(sandbox.url, { func: 'whoami', authinfo: 'reseller:nope' });
    expect(errorOf(bad.doc)?.type).toBe('auth');
  });

  it('expires a session after the idle time but not while it is in use', async () => {
    const sid = await login(sandbox.url);
    clock = new Date(clock.getTime() + 50_000);
    expect((await call(sandbox.url, { func: 'whoami', auth: sid })).doc.name).toBe('reseller');
    clock = new Date(clock.getTime() + 50_000);
    expect((await call(sandbox.url, { func: 'whoami', auth: sid })).doc.name).toBe('reseller');
    clock = new Date(clock.getTime() + 61_000);
    const expired = await call(sandbox.url, { func: 'whoami', auth: sid });
    expect(errorOf(expired.doc)).toMatchObject({ type: 'auth', object: 'session' });
  });

  it('forces every session out with expireSessions(), and a new auth works again', async () => {
    const sid = await login(sandbox.url);
    sandbox.state.expireSessions();
    expect(errorOf((await call(sandbox.url, { func: 'whoami', auth: sid })).doc)).toMatchObject({
      object: 'session',
    });
    const again = await login(sandbox.url);
    expect((await call(sandbox.url, { func: 'whoami', auth: again })).doc.name).toBe('reseller');
  });

  it('answers a call without credentials with the session error', async () => {
    const { doc } = await call(sandbox.url, { func: 'vds' });
    expect(errorOf(doc)).toMatchObject({ type: 'auth', object: 'session' });
  });

  it('refuses an unknown function with type="access" object="func"', async () => {
    const { doc } = await call(sandbox.url, {
      func: 'vds.reboot.everything',
      authinfo: 'reseller:reseller-secret',
    });
    expect(errorOf(doc)).toMatchObject({ type: 'access', object: 'func' });
  });

  it('logs calls without passwords, session ids or authinfo', async () => {
    sandbox.state.clearCalls();
    const sid = await login(sandbox.url);
    await call(sandbox.url, { func: 'whoami', auth: sid });
    await call(sandbox.url, { func: 'whoami', authinfo: 'reseller:reseller-secret' });
    expect(sandbox.state.calls().map((c) => c.func)).toEqual(['auth', 'whoami', 'whoami']);
    const logged = JSON.stringify(sandbox.state.calls());
    expect(logged).not.toContain('reseller-secret');
    expect(logged).not.toContain(sid);
    expect(sandbox.state.calls('auth')[0]?.params.username).toBe('reseller');
  });
});
