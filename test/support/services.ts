/**
 * e2e setup of the pmbillmgr service commands: the sandbox selling panel, a throwaway MariaDB with one pmbillmgr
 * module, the host stand-in as mgrctl, and the handler run as a process (`npm run build` first).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { parseXml, type XmlNode } from '../../src/contract/xml';
import { recordedCalls, type RecordedCall } from '../../src/host-standin/callbacks';
import { ensureHostKey } from '../../src/host-standin/host-key';
import { createModule, placeOrder, setupCurrencies, startOperation, type ModuleFixture } from '../../src/host-standin/panel';
import { projectPath } from '../../src/paths';
import { startSandbox, type Sandbox, type SellingTariff } from '../../src/sandbox/server';
import { createThrowawayDb, type ThrowawayDb } from './mysql';

export interface HandlerRun {
  code: number;
  stdout: string;
  stderr: string;
  doc: XmlNode;
}

export interface ServicesEnv {
  sandbox: Sandbox;
  t: ThrowawayDb;
  db: Knex;
  mgrdir: string;
  module: number;
  currency: number;
  account: number;
  /** Runs `handlers/<name>` (pmbillmgr by default) with argv; stdin when given. */
  run(argv: readonly string[], options?: RunOptions): Promise<HandlerRun>;
  /** The environment handlers and the CLI run with. */
  env(extra?: Readonly<Record<string, string>>): NodeJS.ProcessEnv;
  mgrctlCalls(func?: string): Promise<RecordedCall[]>;
  close(): Promise<void>;
}

export interface RunOptions {
  stdin?: string;
  env?: Readonly<Record<string, string>>;
  handler?: string;
}

export async function startServicesEnv(module: Partial<ModuleFixture> = {}): Promise<ServicesEnv> {
  const sandbox = await startSandbox();
  const t = await createThrowawayDb();
  const mgrdir = await mkdtemp(join(tmpdir(), 'services-e2e-'));
  const keyPath = ensureHostKey(mgrdir);
  const moduleId = await createModule(t.db, { url: sandbox.url, ...module }, keyPath);
  const currencies = await setupCurrencies(t.db, 'USD');
  const currency = currencies.USD ?? 0;
  const [account] = await t.db('account').insert({ project: 1, name: 'Client', email: 'client@example.test', currency });

  const env = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    BMP_DATABASE_URL: t.url,
    BMP_MGRCTL: projectPath('bin', 'host-mgrctl'),
    BMP_MGRDIR: mgrdir,
    BMP_CONFIG: join(mgrdir, 'no-config.json'),
    BMP_LOG: 'stderr',
    BMP_LOG_LEVEL: 'info',
    BMP_HTTP_TIMEOUT_MS: '3000',
    BMP_HTTP_RETRIES: '1',
    BMP_HTTP_MAX_BACKOFF_MS: '50',
    ...extra,
  });

  return {
    sandbox,
    t,
    db: t.db,
    mgrdir,
    module: moduleId,
    currency,
    account: Number(account),
    env,
    run: (argv, options = {}) => runHandler(options.handler ?? 'pmbillmgr', argv, env(options.env), options.stdin),
    mgrctlCalls: (func) => recordedCalls(t.db, func),
    async close() {
      await sandbox.close();
      await t.drop();
      await rm(mgrdir, { recursive: true, force: true });
    },
  };
}

function runHandler(name: string, argv: readonly string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<HandlerRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(projectPath('handlers', name), [...argv], { env, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
      parseXml(stdout, `${name} ${argv.join(' ')}`).then(
        (doc) => resolve({ code, stdout, stderr, doc }),
        () => reject(new Error(`${name} ${argv.join(' ')} printed no XML document (exit ${code}):\n${stdout}\n${stderr}`)),
      );
    });
    child.stdin?.end(stdin ?? '');
  });
}

/** A selling tariff as tariff import leaves it on the host: the tariff, its add-ons and enumeration items. */
export interface LocalTariff {
  id: number;
  intname: string;
  /** Local add-on tariff ids by the selling add-on's intname. */
  addons: Record<string, number>;
  /** Local enumeration item ids by intname. */
  enumerationItems: Record<string, number>;
}

/**
 * Puts a selling tariff on the host the way import_pricelist does (intname `<id>-<intname>`, selling ids in
 * remoteid, add-ons as child tariffs, linked to the module), without depending on that command.
 */
export async function mirrorTariff(db: Knex, module: number, tariff: SellingTariff): Promise<LocalTariff> {
  return db.transaction(async (trx) => {
    const itemtype = await ensureItemtype(trx, tariff.itemtype);
    const intname = `${tariff.id}-${tariff.intname}`;
    const [id] = await trx('pricelist').insert({ name: tariff.name, itemtype, intname, remoteid: String(tariff.id), active: 'on', billtype: 2 });
    const local: LocalTariff = { id: Number(id), intname, addons: {}, enumerationItems: {} };
    await trx('processingmodule2pricelist').insert({ processingmodule: module, pricelist: local.id });
    for (const addon of tariff.addons) {
      let enumeration: number | null = null;
      if (addon.enumeration) {
        const [e] = await trx('enumeration').insert({ name: addon.enumeration.name, intname: addon.enumeration.intname });
        enumeration = Number(e);
        for (const item of addon.enumeration.items) {
          const [i] = await trx('enumerationitem').insert({ enumeration, name: item.name, intname: item.intname });
          local.enumerationItems[item.intname] = Number(i);
        }
      }
      const [a] = await trx('pricelist').insert({
        name: addon.name,
        itemtype,
        parent: local.id,
        intname: addon.intname,
        remoteid: String(addon.id),
        addontype: addon.addontype,
        billtype: addon.billtype,
        addonlimit: addon.limit ?? null,
        enumeration,
        active: 'on',
      });
      local.addons[addon.intname] = Number(a);
    }
    return local;
  });
}

async function ensureItemtype(db: Knex | Knex.Transaction, intname: string): Promise<number> {
  const found = (await db('itemtype').where({ intname }).first('id')) as { id: number } | undefined;
  if (found) return Number(found.id);
  const [id] = await db('itemtype').insert({ intname, name: intname });
  return Number(id);
}

export interface ServiceFixture {
  tariff: LocalTariff;
  period?: number;
  params?: Record<string, string>;
  /** Integer add-on values by selling add-on intname. */
  addons?: Record<string, number>;
  /** Enum add-on values by add-on intname: the enumeration item intname. */
  enumerations?: Record<string, string>;
  status?: number;
  expiredate?: string | null;
  remoteid?: string | null;
}

/** A client's order as the core records it; returns the service id. */
export async function orderService(env: ServicesEnv, fixture: ServiceFixture): Promise<number> {
  const addons: Record<number, number> = {};
  for (const [intname, value] of Object.entries(fixture.addons ?? {})) addons[addonId(fixture.tariff, intname)] = value;
  const id = await placeOrder(env.db, {
    account: env.account,
    pricelist: fixture.tariff.id,
    period: fixture.period ?? 1,
    currency: env.currency,
    processingmodule: env.module,
    params: fixture.params ?? {},
    addons,
  });
  for (const [intname, value] of Object.entries(fixture.enumerations ?? {})) {
    const enumerationitem = fixture.tariff.enumerationItems[value];
    if (enumerationitem === undefined) throw new Error(`no enumeration item '${value}'`);
    await env.db('item').insert({
      account: env.account,
      pricelist: addonId(fixture.tariff, intname),
      parent: id,
      status: 1,
      period: fixture.period ?? 1,
      currency: env.currency,
      enumerationitem,
    });
  }
  const changes = {
    ...(fixture.status !== undefined ? { status: fixture.status } : {}),
    ...(fixture.expiredate !== undefined ? { expiredate: fixture.expiredate } : {}),
    ...(fixture.remoteid !== undefined ? { remoteid: fixture.remoteid } : {}),
  };
  if (Object.keys(changes).length > 0) await env.db('item').where({ id }).update(changes);
  return id;
}

function addonId(tariff: LocalTariff, intname: string): number {
  const id = tariff.addons[intname];
  if (id === undefined) throw new Error(`tariff ${tariff.intname} has no add-on '${intname}'`);
  return id;
}

/** The core's running operation for a command on a service. */
export function operation(env: ServicesEnv, item: number, intname: string): Promise<number> {
  return startOperation(env.db, item, intname);
}

export async function runningOperation(db: Knex, id: number): Promise<{ manual: string | null; errorxml: string | null } | undefined> {
  return (await db('runningoperation').where({ id }).first('manual', 'errorxml')) as
    | { manual: string | null; errorxml: string | null }
    | undefined;
}

export async function itemRow(db: Knex, id: number): Promise<Record<string, unknown>> {
  return (await db('item').where({ id }).first()) as Record<string, unknown>;
}

/** `<error type object><msg/>` of a handler's answer. */
export function errorOfRun(run: HandlerRun): { type: string; object: string; msg: string } | undefined {
  const error = run.doc.error as XmlNode | undefined;
  if (!error) return undefined;
  return { type: error.$?.type ?? '', object: error.$?.object ?? '', msg: String(error.msg ?? '') };
}
