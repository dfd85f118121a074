/**
 * Referral binding in production (contract section 6), run as the panel runs its event handlers: the handler
 * executables with the panel's CGI input (QUERY_STRING, the posted form on stdin, the browser's cookie), on MariaDB.
 * And the sweep that binds what the handlers missed. `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { T } from '../../../src/db/affiliate/tables';
import type { PartnerView, ProgramView } from '../../../src/affiliate/programs';
import { projectPath } from '../../../src/paths';
import { AffiliateWorld } from '../../integration/affiliate/world';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;
let mgrdir: string;
let program: ProgramView;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
  mgrdir = mkdtempSync(join(tmpdir(), 'panel-events-'));
  program = await world.program();
});
afterAll(async () => {
  await throwaway.drop();
  rmSync(mgrdir, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(
  handler: string,
  {
    query,
    form,
    cookie,
    ip,
    databaseUrl,
  }: { query: string; form?: string; cookie?: string; ip?: string; databaseUrl?: string },
): Run {
  const body = form ?? '';
  const result = spawnSync(projectPath('handlers', handler), [], {
    input: body,
    env: {
      PATH: process.env.PATH,
      BMP_DATABASE_URL: databaseUrl ?? throwaway.url,
      BMP_MGRDIR: mgrdir,
      BMP_CONFIG: join(mgrdir, 'absent.json'),
      BMP_LOG: 'stderr',
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: body ? 'POST' : 'GET',
      CONTENT_LENGTH: String(Buffer.byteLength(body)),
      QUERY_STRING: query,
      ...(cookie ? { HTTP_COOKIE: cookie } : {}),
      REMOTE_ADDR: ip ?? '198.51.100.50',
    },
    encoding: 'utf8',
    timeout: 30000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The counter as the provider's site calls it: the visitor cookie it sets. */
function visitThroughLink(partner: PartnerView, ip: string): string {
  const page = encodeURIComponent(`https://provider.example/?from=${partner.id}`);
  const result = spawnSync(projectPath('handlers', 'counter'), [], {
    env: {
      PATH: process.env.PATH,
      BMP_DATABASE_URL: throwaway.url,
      BMP_MGRDIR: mgrdir,
      BMP_CONFIG: join(mgrdir, 'absent.json'),
      BMP_LOG: 'stderr',
      GATEWAY_INTERFACE: 'CGI/1.1',
      QUERY_STRING: `rnd=1&p=${page}`,
      REMOTE_ADDR: ip,
    },
  });
  const cookie = /Set-Cookie: (bmp_aff_visitor=[0-9a-f]+)/.exec(result.stdout.toString('latin1'))?.[1];
  if (!cookie) throw new Error(`the counter set no visitor cookie: ${result.stderr.toString()}`);
  return cookie;
}

/** What the panel's register function leaves behind: the new account (and its user) with its e-mail. */
async function signedUp(email: string, ip: string | null = null): Promise<number> {
  const account = await world.account({ email });
  await throwaway
    .db('account')
    .where({ id: account })
    .update({
      registration_date: new Date().toISOString().slice(0, 19).replace('T', ' '),
      registration_ip: ip,
    });
  await throwaway.db('user').insert({ account, name: email, email });
  return account;
}

async function referralOf(account: number): Promise<Record<string, unknown> | undefined> {
  return (await throwaway.db(T.referral).where({ account }).first()) as Record<string, unknown> | undefined;
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

describe('bmp_signup (after register)', () => {
  it('binds the new client to the partner of the counter visit its cookie names, and answers <doc/>', async () => {
    const partner = await world.partner(program);
    const cookie = visitThroughLink(partner, '198.51.100.60');
    const account = await signedUp('new1@example.net');

    const result = run('bmp_signup', {
      query: 'func=register',
      form: form({ email: 'New1@example.net', realname: 'New One', sok: 'ok' }),
      cookie: `lang=en; ${cookie}`,
    });

    expect(result).toMatchObject({ status: 0, stdout: '<doc/>\n' });
    expect(await referralOf(account)).toMatchObject({ affiliate: partner.id, source: 'link' });
    expect((await referralOf(account))?.visit).not.toBeNull();
  });

  it("binds through the link's ?from= id when no cookie came, and through a typed promo code first", async () => {
    const linked = await world.partner(program);
    const coded = await world.partner(program);
    const viaFrom = await signedUp('new2@example.net');
    const viaCode = await signedUp('new3@example.net');

    run('bmp_signup', {
      query: `func=register&from=${linked.id}`,
      form: form({ email: 'new2@example.net', sok: 'ok' }),
    });
    run('bmp_signup', {
      query: `func=register&from=${linked.id}`,
      form: form({ email: 'new3@example.net', promocode: coded.promocode.toLowerCase(), sok: 'ok' }),
    });

    expect(await referralOf(viaFrom)).toMatchObject({ affiliate: linked.id, source: 'link' });
    expect(await referralOf(viaCode)).toMatchObject({ affiliate: coded.id, source: 'promocode' });
  });

  it('refuses a self-referral: the partner signing up again through its own link', async () => {
    const partner = await world.partner(program, { email: 'owner@example.org' });
    const again = await signedUp('owner@example.org');

    const result = run('bmp_signup', {
      query: `func=register&from=${partner.id}`,
      form: form({ email: 'owner@example.org', sok: 'ok' }),
    });

    expect(result.stdout).toBe('<doc/>\n');
    expect(await referralOf(again)).toBeUndefined();
    expect(await throwaway.db(T.refusal).where({ account: again }).pluck('reason')).toEqual(['same_email']);
  });

  it('binds nothing when the form only opened (no sok)', async () => {
    const partner = await world.partner(program);
    const account = await signedUp('new4@example.net');
    run('bmp_signup', { query: `func=register&from=${partner.id}&email=new4@example.net` });
    expect(await referralOf(account)).toBeUndefined();
  });

  it('answers <doc/> and exit 0 when its own database is out of reach: the signup is not broken', () => {
    const result = run('bmp_signup', {
      query: 'func=register',
      form: form({ email: 'x@example.net', sok: 'ok' }),
      databaseUrl: 'mysql://nobody:pw-secret@127.0.0.1:1/none',
    });
    expect(result).toMatchObject({ status: 0, stdout: '<doc/>\n' });
    expect(result.stderr).toContain('no referral bound');
    expect(result.stderr).not.toContain('pw-secret');
  });
});

describe('bmp_account_referral (after account.edit)', () => {
  it('binds a new account to the partner whose account the administrator chose by name', async () => {
    const partner = await world.partner(program, { name: 'Acme Partners' });
    const account = await world.account({ name: 'Fresh Client', email: 'fresh@example.net' });

    const opened = run('bmp_account_referral', {
      query: 'func=account.edit',
      form: form({ referral: 'Acme Partners' }),
    });
    expect(opened.stdout).toBe('<doc/>\n');
    expect(await referralOf(account)).toBeUndefined();

    const saved = run('bmp_account_referral', {
      query: 'func=account.edit',
      form: form({ name: 'Fresh Client', email: 'fresh@example.net', referral: 'Acme Partners', sok: 'ok' }),
    });

    expect(saved).toMatchObject({ status: 0, stdout: '<doc/>\n' });
    expect(await referralOf(account)).toMatchObject({ affiliate: partner.id, source: 'manual' });
  });
});

describe('bmp_order_promocode (after basket and order)', () => {
  it('binds the ordering client on the first promo code only', async () => {
    const first = await world.partner(program);
    const second = await world.partner(program);
    const client = await world.account();

    run('bmp_order_promocode', {
      query: 'func=basket',
      form: form({ promocode: first.promocode, account_id: String(client), sok: 'ok' }),
    });
    const later = run('bmp_order_promocode', {
      query: 'func=basket',
      form: form({ promocode: second.promocode, account_id: String(client), sok: 'ok' }),
    });

    expect(later.stdout).toBe('<doc/>\n');
    expect(await referralOf(client)).toMatchObject({ affiliate: first.id, source: 'promocode' });
    expect(await throwaway.db(T.refusal).where({ account: client }).pluck('reason')).toEqual([
      'already_referred',
    ]);
  });
});

describe('billmgr-plugin affiliate sweep', () => {
  function sweep(): { bound: number; looked: number; refused: number } {
    const result = spawnSync(projectPath('bin', 'billmgr-plugin'), ['affiliate', 'sweep', '--json'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, BMP_DATABASE_URL: throwaway.url, BMP_MGRDIR: mgrdir, BMP_LOG: 'stderr' },
    });
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as { bound: number; looked: number; refused: number };
  }

  it('binds signups the handlers missed from the counter visit of their address, once; refuses a self-referral', async () => {
    const partner = await world.partner(program, { email: 'sweeper@example.org' });
    visitThroughLink(partner, '203.0.113.77');
    visitThroughLink(partner, '203.0.113.78');
    const missed = await signedUp('missed@example.net', '203.0.113.77');
    const self = await signedUp('sweeper@example.org', '203.0.113.78');
    const unknownAddress = await signedUp('elsewhere@example.net', '192.0.2.200');

    const first = sweep();
    expect(await referralOf(missed)).toMatchObject({ affiliate: partner.id, source: 'link' });
    expect(await referralOf(self)).toBeUndefined();
    expect(await referralOf(unknownAddress)).toBeUndefined();
    expect(first.bound).toBeGreaterThanOrEqual(1);

    expect(sweep()).toMatchObject({ looked: 0, bound: 0 });
  });
});
