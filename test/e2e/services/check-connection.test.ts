/** check_connection: the module form on stdin, the account checked on the sandbox, each failure named. */
import { errorOfRun, startServicesEnv, type ServicesEnv } from '../../support/services';

let env: ServicesEnv;

beforeAll(async () => {
  env = await startServicesEnv();
});

afterAll(async () => {
  await env.close();
});

beforeEach(() => env.sandbox.faults.reset());

function form(fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<doc><processingmodule>${body}</processingmodule></doc>\n`;
}

function check(fields: Record<string, string>) {
  return env.run(['--command', 'check_connection'], { stdin: form(fields) });
}

describe('check_connection', () => {
  it('prints <doc/> for a client account with money', async () => {
    const run = await check({
      url: env.sandbox.url,
      username: 'reseller',
      password: 'reseller-secret',
      minbalance: '100',
    });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('<doc/>');
  });

  it('says the credentials are bad, without repeating the password', async () => {
    const run = await check({ url: env.sandbox.url, username: 'reseller', password: 'not-the-password' });
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'auth', object: 'username' });
    expect(errorOfRun(run)?.msg).toContain('refused the username or password');
    expect(run.stdout + run.stderr).not.toContain('not-the-password');
  });

  it('says the selling panel is unreachable', async () => {
    const run = await check({
      url: 'http://127.0.0.1:1/billmgr',
      username: 'reseller',
      password: 'reseller-secret',
    });
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'connection', object: 'url' });
    expect(errorOfRun(run)?.msg).toContain('unreachable');
  });

  it('counts an HTTP 503 in front of the panel as unreachable, after the configured retries', async () => {
    env.sandbox.faults.failNext('auth', { kind: 'http', status: 503 }, 2);
    const run = await check({ url: env.sandbox.url, username: 'reseller', password: 'reseller-secret' });
    expect(errorOfRun(run)).toMatchObject({ type: 'connection', object: 'url' });
    expect(errorOfRun(run)?.msg).toContain('HTTP 503');
    expect(env.sandbox.faults.pending).toBe(0);
  });

  it('refuses an account that is not a client account', async () => {
    const run = await check({ url: env.sandbox.url, username: 'admin', password: 'admin-secret' });
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'access', object: 'username' });
    expect(errorOfRun(run)?.msg).toContain(
      "'admin' is not a client account on the selling side: its access level is 'admin'",
    );
  });

  it('refuses a balance below the minimal balance of the form', async () => {
    const run = await check({
      url: env.sandbox.url,
      username: 'reseller',
      password: 'reseller-secret',
      minbalance: '5000',
    });
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'balance', object: 'minbalance' });
    expect(errorOfRun(run)?.msg).toContain('1000.00 USD is below the minimal balance 5000.00 USD');
  });

  it('names a field missing from the form', async () => {
    const run = await check({ url: env.sandbox.url, username: 'reseller' });
    expect(run.code).not.toBe(0);
    expect(errorOfRun(run)).toMatchObject({ type: 'missed', object: 'password' });
  });
});
