/** bin/host-mgrctl as the plugin meets it: spawned per call, applying the core's side of each callback. */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml, type XmlNode } from '../../src/contract/xml';
import { HostError } from '../../src/contract/errors';
import { recordedCalls } from '../../src/host-standin/callbacks';
import { createInProcessMgrctl } from '../../src/host-standin/in-process';
import { addIpAddon } from '../../src/host-standin/panel';
import { startStandinServer } from '../../src/host-standin/server';
import { createMgrctl } from '../../src/contract/mgrctl';
import { projectPath } from '../../src/paths';
import { createThrowawayDb, type ThrowawayDb } from '../support/mysql';

const HOST_MGRCTL = projectPath('bin', 'host-mgrctl');

let t: ThrowawayDb;
let mgrdir: string;
const made: { func: string; params: Record<string, string> }[] = [];

interface Answer {
  exitCode: number;
  doc: XmlNode;
}

function mgrctl(func: string, params: Record<string, string> = {}): Promise<Answer> {
  made.push({ func, params });
  const argv = ['-m', 'billmgr', '-o', 'xml', func, ...Object.entries(params).map(([k, v]) => `${k}=${v}`)];
  const env = {
    ...process.env,
    BMP_DATABASE_URL: t.url,
    BMP_MGRDIR: mgrdir,
    BMP_CONFIG: join(mgrdir, 'none.json'),
  };
  return new Promise((resolve, reject) => {
    execFile(HOST_MGRCTL, argv, { env, encoding: 'utf8' }, (err, stdout) => {
      const exitCode = err ? Number((err as { code?: number }).code ?? 1) : 0;
      parseXml(stdout, func).then((doc) => resolve({ exitCode, doc }), reject);
    });
  });
}

const today = (): string => new Date().toISOString().slice(0, 10);

async function item(id: number): Promise<Record<string, unknown>> {
  return (await t.db('item').where({ id }).first()) as Record<string, unknown>;
}

async function newItem(values: Record<string, unknown> = {}): Promise<number> {
  const [id] = await t.db('item').insert({ status: 1, ...values });
  return Number(id);
}

async function newOperation(itemId: number, intname: string | null): Promise<number> {
  const [id] = await t.db('runningoperation').insert({ item: itemId, intname });
  return Number(id);
}

async function operationsOf(itemId: number): Promise<(string | null)[]> {
  const rows = await t.db('runningoperation').where({ item: itemId }).orderBy('id');
  return rows.map((r: { intname: string | null }) => r.intname);
}

beforeAll(async () => {
  t = await createThrowawayDb();
  mgrdir = await mkdtemp(join(tmpdir(), 'host-standin-'));
});

afterAll(async () => {
  await t.drop();
  await rm(mgrdir, { recursive: true, force: true });
});

describe('host-mgrctl service callbacks', () => {
  it('postopen activates the service, dates it today, and finishes its open operation only', async () => {
    const service = await newItem();
    const other = await newItem();
    await newOperation(service, 'open');
    await newOperation(service, 'suspend');
    await newOperation(other, 'open');

    const answer = await mgrctl('service.postopen', { elid: String(service), sok: 'ok' });

    expect(answer).toEqual({ exitCode: 0, doc: { ok: '' } });
    expect(await item(service)).toMatchObject({ status: 2, opendate: today() });
    expect(await operationsOf(service)).toEqual(['suspend']);
    expect(await operationsOf(other)).toEqual(['open']);
    expect(await item(other)).toMatchObject({ status: 1, opendate: null });
  });

  it('postopen starts the paid period: expiry is the open date plus the ordered months', async () => {
    const service = await newItem({ opendate: '2026-01-31', period: 1 });
    const lifetime = await newItem({ opendate: '2026-01-31', period: 0 });
    const dated = await newItem({ opendate: '2026-01-31', period: 12, expiredate: '2026-05-05' });
    for (const id of [service, lifetime, dated])
      await mgrctl('service.postopen', { elid: String(id), sok: 'ok' });
    expect(await item(service)).toMatchObject({ expiredate: '2026-02-28' });
    expect(await item(lifetime)).toMatchObject({ expiredate: null });
    expect(await item(dated)).toMatchObject({ expiredate: '2026-05-05' });
  });

  it('postopen keeps an opendate the service already has', async () => {
    const service = await newItem({ opendate: '2024-02-29', status: 5 });
    await mgrctl('service.postopen', { elid: String(service), sok: 'ok' });
    expect(await item(service)).toMatchObject({ status: 2, opendate: '2024-02-29' });
  });

  it('postsuspend and postresume set suspended and active', async () => {
    const service = await newItem({ status: 2 });
    await newOperation(service, 'suspend');
    await mgrctl('service.postsuspend', { elid: String(service), sok: 'ok' });
    expect(await item(service)).toMatchObject({ status: 3 });
    expect(await operationsOf(service)).toEqual([]);

    await newOperation(service, 'resume');
    await mgrctl('service.postresume', { elid: String(service), sok: 'ok' });
    expect(await item(service)).toMatchObject({ status: 2 });
    expect(await operationsOf(service)).toEqual([]);
  });

  it('postclose deletes the service and its add-ons, nothing else', async () => {
    const service = await newItem({ status: 2 });
    const ram = await newItem({ status: 2, parent: service });
    const panel = await newItem({ status: 2, parent: service });
    const neighbour = await newItem({ status: 2 });
    const neighboursAddon = await newItem({ status: 2, parent: neighbour });

    await mgrctl('service.postclose', { elid: String(service), sok: 'ok' });

    for (const id of [service, ram, panel]) expect(await item(id)).toMatchObject({ status: 4 });
    for (const id of [neighbour, neighboursAddon]) expect(await item(id)).toMatchObject({ status: 2 });
  });

  it('postsetparam and postprolong finish their operation and leave the status', async () => {
    const service = await newItem({ status: 2 });
    await newOperation(service, 'setparam');
    await newOperation(service, 'prolong');
    await mgrctl('service.postsetparam', { elid: String(service), sok: 'ok' });
    expect(await operationsOf(service)).toEqual(['prolong']);
    await mgrctl('service.postprolong', { elid: String(service), sok: 'ok' });
    expect(await operationsOf(service)).toEqual([]);
    expect(await item(service)).toMatchObject({ status: 2 });
  });

  it('saveparam stores a parameter under its own name and replaces it on the next call', async () => {
    const service = await newItem();
    await mgrctl('service.saveparam', { elid: String(service), ip: '10.0.0.1', crypted: 'off', sok: 'ok' });
    await mgrctl('service.saveparam', { elid: String(service), ip: '10.0.0.2', crypted: 'off', sok: 'ok' });
    await mgrctl('service.saveparam', { elid: String(service), username: 'root', sok: 'ok' });
    await mgrctl('service.saveparam', {
      elid: String(service),
      password: 's3cret',
      crypted: 'on',
      sok: 'ok',
    });
    const rows = await t.db('itemparam').where({ item: service }).orderBy('intname');
    expect(rows.map((r: { intname: string; value: string }) => [r.intname, r.value])).toEqual([
      ['ip', '10.0.0.2'],
      ['username', 'root'],
    ]);
    expect(await t.db('itemcryptedparam').where({ item: service }).pluck('intname')).toEqual(['password']);
  });

  it('saveparam refuses the name=/value= form', async () => {
    const service = await newItem();
    const answer = await mgrctl('service.saveparam', {
      elid: String(service),
      name: 'ip',
      value: '10.0.0.1',
      sok: 'ok',
    });
    expect(answer.exitCode).toBe(1);
    expect(answer.doc.error).toMatchObject({ $: { type: 'value', object: 'name' } });
    expect(await t.db('itemparam').where({ item: service }).first()).toBeUndefined();
  });

  it('dropparam removes a parameter, setstatus sets the status', async () => {
    const service = await newItem();
    await t.db('itemparam').insert({ item: service, intname: 'panelid', value: '7' });
    await mgrctl('service.dropparam', { elid: String(service), name: 'panelid', sok: 'ok' });
    await mgrctl('service.setstatus', { elid: String(service), service_status: '3', sok: 'ok' });
    expect(await t.db('itemparam').where({ item: service }).first()).toBeUndefined();
    expect(await item(service)).toMatchObject({ status: 3 });
  });

  it('setexpiredate sets the expiry date and refuses a bad date', async () => {
    const service = await newItem({ expiredate: '2025-01-01' });
    expect(
      (await mgrctl('service.setexpiredate', { elid: String(service), expiredate: '2026-03-31', sok: 'ok' }))
        .exitCode,
    ).toBe(0);
    expect(await item(service)).toMatchObject({ expiredate: '2026-03-31' });

    const bad = await mgrctl('service.setexpiredate', {
      elid: String(service),
      expiredate: '31.03.2026',
      sok: 'ok',
    });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.doc.error).toMatchObject({ $: { type: 'value', object: 'expiredate' } });
    expect(await item(service)).toMatchObject({ expiredate: '2026-03-31' });
  });

  it('a changing call without sok=ok only shows the form: nothing changes', async () => {
    const service = await newItem({ expiredate: '2025-01-01' });
    const answer = await mgrctl('service.setexpiredate', { elid: String(service), expiredate: '2026-03-31' });
    expect(answer.exitCode).toBe(0);
    expect(answer.doc.ok).toBeUndefined();
    expect(answer.doc.elid).toBe(String(service));
    const opened = await mgrctl('service.postopen', { elid: String(service) });
    expect(opened.doc.ok).toBeUndefined();
    expect(await item(service)).toMatchObject({ expiredate: '2025-01-01', status: 1 });
  });

  it('answers an error document for a service that does not exist', async () => {
    const answer = await mgrctl('service.postopen', { elid: '999999', sok: 'ok' });
    expect(answer.exitCode).toBe(1);
    expect(answer.doc.error).toMatchObject({
      $: { type: 'missed', object: 'item' },
      msg: 'no service 999999',
    });
  });
});

describe('host-mgrctl running operations', () => {
  it('setmanual marks the operation manual', async () => {
    const op = await newOperation(await newItem(), 'open');
    await mgrctl('runningoperation.setmanual', { elid: String(op) });
    expect(await t.db('runningoperation').where({ id: op }).first()).toMatchObject({ manual: 'off' });
    await mgrctl('runningoperation.setmanual', { elid: String(op), sok: 'ok' });
    expect(await t.db('runningoperation').where({ id: op }).first()).toMatchObject({ manual: 'on' });
  });

  it('edit saves the error document on the operation, verbatim', async () => {
    const op = await newOperation(await newItem(), 'open');
    const errorxml =
      '<doc>\n  <error type="value" object="x"><msg>no "money" & no luck</msg></error>\n</doc>';
    await mgrctl('runningoperation.edit', { elid: String(op), errorxml, sok: 'ok' });
    expect(await t.db('runningoperation').where({ id: op }).first()).toMatchObject({
      errorxml,
      manual: 'off',
    });
  });

  it('refuses an operation that does not exist', async () => {
    const answer = await mgrctl('runningoperation.setmanual', { elid: '424242', sok: 'ok' });
    expect(answer.exitCode).toBe(1);
    expect(answer.doc.error).toMatchObject({ $: { type: 'missed', object: 'runningoperation' } });
  });
});

describe('host-mgrctl IP addresses on the IP add-on', () => {
  async function serviceWithIpAddon(): Promise<{ service: number; addon: number }> {
    const [tariff] = await t.db('pricelist').insert({ name: 'VPS' });
    const ipAddon = await addIpAddon(t.db, Number(tariff));
    const service = await newItem({ pricelist: tariff });
    const addon = await newItem({ pricelist: ipAddon, parent: service, intvalue: 1 });
    return { service, addon };
  }

  it('ip.add answers the new row, ip.add.commit confirms it, ip.del removes it', async () => {
    const { addon } = await serviceWithIpAddon();
    const added = await mgrctl('service.ip.add', {
      elid: String(addon),
      ip: '192.0.2.10',
      mask: '255.255.255.0',
      gateway: '192.0.2.1',
      domain: 'vps.example.test',
      sok: 'ok',
    });
    expect(added.exitCode).toBe(0);
    const id = Number(added.doc['ip.id']);
    expect(await t.db('ip').where({ id }).first()).toMatchObject({
      item: addon,
      name: '192.0.2.10',
      mask: '255.255.255.0',
      gateway: '192.0.2.1',
      domain: 'vps.example.test',
    });
    expect(await t.db('standin_ip_uncommitted').pluck('ip')).toEqual([id]);
    expect((await mgrctl('service.ip.add.commit', { elid: String(id), sok: 'ok' })).exitCode).toBe(0);
    expect(await t.db('standin_ip_uncommitted').pluck('ip')).toEqual([]);

    expect((await mgrctl('service.ip.del', { elid: String(id), sok: 'ok' })).exitCode).toBe(0);
    expect(await t.db('ip').where({ id }).first()).toBeUndefined();
  });

  it('refuses an address on the service itself instead of its IP add-on', async () => {
    const { service } = await serviceWithIpAddon();
    const answer = await mgrctl('service.ip.add', { elid: String(service), ip: '192.0.2.11', sok: 'ok' });
    expect(answer.exitCode).toBe(1);
    expect(answer.doc.error).toMatchObject({ $: { type: 'value', object: 'elid' } });
    expect(await t.db('ip').where({ name: '192.0.2.11' }).first()).toBeUndefined();
  });
});

describe('host-mgrctl paramlist', () => {
  it('reports its database settings and the path of a freshly made RSA key', async () => {
    const answer = await mgrctl('paramlist');
    const url = new URL(t.url);
    expect(answer.exitCode).toBe(0);
    // One setting per <elem>, named by its element, as the SDK reads it (billmgr/config.py).
    const elems = answer.doc.elem as Record<string, string>[];
    for (const elem of elems) expect(Object.keys(elem)).toHaveLength(1);
    expect(Object.assign({}, ...elems)).toMatchObject({
      DBHost: url.hostname,
      DBUser: 'root',
      DBPassword: '',
      DBName: url.pathname.slice(1),
      DBSocket: '',
      CryptKey: join(mgrdir, 'etc', 'billmgr.pem'),
    });
    expect(readFileSync(join(mgrdir, 'etc', 'billmgr.pem'), 'utf8')).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----/,
    );
  });

  it('keeps the same key on later calls', async () => {
    const before = readFileSync(join(mgrdir, 'etc', 'billmgr.pem'), 'utf8');
    await mgrctl('paramlist');
    expect(readFileSync(join(mgrdir, 'etc', 'billmgr.pem'), 'utf8')).toBe(before);
  });
});

describe('host-mgrctl import and balance', () => {
  it('import.service creates the service on the tariff found by intname and answers its id', async () => {
    const [pricelist] = await t.db('pricelist').insert({ name: 'VPS Start', intname: '11-vps-start' });
    const answer = await mgrctl('processing.import.service', {
      module: '7',
      import_pricelist_intname: '11-vps-start',
      import_service_name: 'vps1.example.com',
      status: '3',
      expiredate: '2026-12-01',
      period: '12',
      remoteid: '5501',
      sok: 'ok',
    });
    expect(answer.exitCode).toBe(0);
    const serviceId = Number(answer.doc.service_id);
    expect(await item(serviceId)).toMatchObject({
      processingmodule: 7,
      pricelist: Number(pricelist),
      name: 'vps1.example.com',
      status: 3,
      expiredate: '2026-12-01',
      period: 12,
      remoteid: '5501',
    });
  });

  it('import.service refuses a tariff that was not imported', async () => {
    const answer = await mgrctl('processing.import.service', {
      module: '7',
      import_pricelist_intname: '99-none',
      sok: 'ok',
    });
    expect(answer.exitCode).toBe(1);
    expect(answer.doc.error).toMatchObject({ $: { type: 'missed', object: 'pricelist' } });
  });

  it('import.assign gives the service to an account on a tariff', async () => {
    const service = await newItem({ pricelist: 1 });
    await mgrctl('processing.import.assign', {
      elid: String(service),
      account: '42',
      [`pricelist_${service}`]: '77',
      sok: 'ok',
    });
    expect(await item(service)).toMatchObject({ account: 42, pricelist: 77 });
  });

  it('savebalance keeps the latest selling balance of each module', async () => {
    await mgrctl('processing.savebalance', {
      processingmodule: '7',
      balance: '120.50',
      currency: 'USD',
      sok: 'ok',
    });
    await mgrctl('processing.savebalance', {
      processingmodule: '8',
      balance: '5',
      currency: 'EUR',
      sok: 'ok',
    });
    await mgrctl('processing.savebalance', {
      processingmodule: '7',
      balance: '99.99',
      currency: 'USD',
      sok: 'ok',
    });
    const rows = await t.db('standin_processing_balance').orderBy('processingmodule');
    expect(
      rows.map((r: { processingmodule: number; balance: string; currency: string }) => [
        r.processingmodule,
        r.balance,
        r.currency,
      ]),
    ).toEqual([
      [7, '99.9900', 'USD'],
      [8, '5.0000', 'EUR'],
    ]);
  });
});

describe('host-mgrctl expenses (funds taken back)', () => {
  async function client(balance: string): Promise<{ account: number; currency: number }> {
    const [currency] = await t.db('currency').insert({ name: 'Euro', iso: 'EUR', code: 978 });
    const [account] = await t.db('account').insert({ name: 'Client', balance, currency });
    return { account: Number(account), currency: Number(currency) };
  }

  it('expense.edit books a new expense named as asked, lowers the balance and answers its id', async () => {
    const { account, currency } = await client('10.0000');
    const answer = await mgrctl('expense.edit', {
      account: String(account),
      subaccount: '1',
      amount: '7.25',
      currency: String(currency),
      name: 'Certificate funds expired',
      sok: 'ok',
    });
    expect(answer.exitCode).toBe(0);
    const id = Number(answer.doc['expense.id']);
    expect(await t.db('expense').where({ account }).select('id', 'amount', 'name', 'item')).toEqual([
      { id, amount: '7.2500', name: 'Certificate funds expired', item: null },
    ]);
    expect((await t.db('account').where({ id: account }).first('balance')) as object).toEqual({
      balance: '2.7500',
    });
  });

  it('expense.edit refuses what the core would: an edit, an unknown account or currency, a bad amount, no name', async () => {
    const { account, currency } = await client('5.0000');
    const good = {
      account: String(account),
      subaccount: '1',
      amount: '1.00',
      currency: String(currency),
      name: 'Taken back',
      sok: 'ok',
    };
    const refusals: Array<[Record<string, string>, string]> = [
      [{ ...good, elid: '1' }, 'never edits expense 1'],
      [{ ...good, account: '999999' }, 'no client account 999999'],
      [{ ...good, currency: '999999' }, 'no currency 999999'],
      [{ ...good, amount: '-1.00' }, "'amount' must be a positive amount"],
      [{ ...good, amount: '0.00' }, "'amount' must be a positive amount"],
      [{ ...good, amount: '1.005' }, "'amount' must be a positive amount"],
      [{ ...good, name: '' }, "parameter 'name' is required"],
    ];
    for (const [params, message] of refusals) {
      const answer = await mgrctl('expense.edit', params);
      expect(answer.exitCode).not.toBe(0);
      expect(JSON.stringify(answer.doc)).toContain(message);
    }
    // Without sok=ok the core only shows the form.
    const { sok: _sok, ...form } = good;
    expect((await mgrctl('expense.edit', form)).exitCode).toBe(0);
    expect(await t.db('expense').where({ account })).toEqual([]);
    expect((await t.db('account').where({ id: account }).first('balance')) as object).toEqual({
      balance: '5.0000',
    });
  });
});

describe('host-mgrctl recording and refusals', () => {
  it('answers an unknown function with an error document and a non-zero exit', async () => {
    const answer = await mgrctl('service.explode', { elid: '1' });
    expect(answer.exitCode).not.toBe(0);
    expect(answer.doc.error).toMatchObject({
      $: { type: 'missed', object: 'func' },
      msg: "unknown function 'service.explode'",
    });
  });

  it('refuses a manager other than billmgr', async () => {
    const stdout = await new Promise<string>((resolve) =>
      execFile(HOST_MGRCTL, ['-m', 'ispmgr', '-o', 'xml', 'paramlist'], { env: process.env }, (_e, out) =>
        resolve(out),
      ),
    );
    expect((await parseXml(stdout, 'x')).error).toMatchObject({
      msg: "the stand-in serves only '-m billmgr'",
    });
  });

  it('recorded every call it received, in order, with its parameters as given', async () => {
    const recorded = await recordedCalls(t.db);
    expect(recorded.map(({ func, params }) => ({ func, params }))).toEqual(made);
    const edits = await recordedCalls(t.db, 'runningoperation.edit');
    expect(edits).toHaveLength(1);
    expect(edits[0]?.params.errorxml).toContain('no "money" & no luck');
  });
});

describe('the stand-in in-process (no spawning)', () => {
  it('applies the same callback and answers the same document as the executable', async () => {
    const inProcess = createInProcessMgrctl(t.db, { databaseUrl: t.url, mgrdir });
    const service = await newItem();
    expect(await inProcess.call('service.postopen', { elid: service, sok: 'ok' })).toEqual({ ok: '' });
    expect(await item(service)).toMatchObject({ status: 2, opendate: today() });
    expect(await inProcess.call('paramlist')).toEqual((await mgrctl('paramlist')).doc);
  });

  it('throws the HostError the spawned executable would have answered', async () => {
    const inProcess = createInProcessMgrctl(t.db, { databaseUrl: t.url, mgrdir });
    const err: unknown = await inProcess.call('service.explode').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({
      type: 'missed',
      object: 'func',
      message: "mgrctl service.explode: unknown function 'service.explode'",
    });
    expect((await recordedCalls(t.db, 'service.explode')).length).toBe(2);
  });
});

describe('the stand-in as a running core with a thin mgrctl per call', () => {
  it('answers the thin client as the executable answers', async () => {
    const socket = join(mgrdir, 'standin.sock');
    const server = await startStandinServer(socket, { databaseUrl: t.url, mgrdir });
    // The thin client finds the core by BMP_STANDIN_SOCKET, as a real mgrctl knows its core.
    const wrapper = join(mgrdir, 'thin-mgrctl');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexport BMP_STANDIN_SOCKET='${socket}'\nexec '${projectPath('bin', 'host-mgrctl-thin')}' "$@"\n`,
      { mode: 0o755 },
    );
    try {
      const thin = createMgrctl({ path: wrapper, timeoutMs: 10_000 });
      const service = await newItem();
      expect(await thin.call('service.postopen', { elid: service, sok: 'ok' })).toEqual({ ok: '' });
      expect(await item(service)).toMatchObject({ status: 2 });
      await expect(thin.call('service.explode', { elid: 1 })).rejects.toMatchObject({
        type: 'missed',
        object: 'func',
      });
    } finally {
      await server.close();
    }
  });
});
