/**
 * e2e setup of the pmbillmgr service commands, on the shared reseller env (sandbox selling panel, throwaway
 * MariaDB with currencies and product types, one pmbillmgr module, host stand-in as mgrctl): a client account,
 * tariffs imported with the real import_pricelist, and orders as the core records them. `npm run build` first.
 */
import type { Knex } from 'knex';
import type { XmlNode } from '../../src/contract/xml';
import { recordedCalls, type RecordedCall } from '../../src/host-standin/callbacks';
import { placeOrder, startOperation } from '../../src/host-standin/panel';
import { startResellerEnv, type HandlerRun, type ResellerEnv, type ResellerEnvOptions } from './reseller-env';

export type { HandlerRun };

export interface ServicesEnv extends ResellerEnv {
  /** A client account of the host, paying in USD. */
  account: number;
  currency: number;
  /** Runs `handlers/pmbillmgr` with argv; stdin and extra environment when given. */
  run(argv: readonly string[], options?: RunOptions): Promise<HandlerRun>;
  mgrctlCalls(func?: string): Promise<RecordedCall[]>;
}

export interface RunOptions {
  stdin?: string;
  env?: Record<string, string>;
}

export async function startServicesEnv(options: ResellerEnvOptions = {}): Promise<ServicesEnv> {
  const env = await startResellerEnv(options);
  const currency = env.catalog.currencies.USD;
  const [account] = await env
    .db('account')
    .insert({ project: env.catalog.project, name: 'Client', email: 'client@example.test', currency });
  return {
    ...env,
    account: Number(account),
    currency,
    run: (argv, { stdin, env: extra } = {}) => env.runHandler(argv, stdin, extra),
    mgrctlCalls: (func) => recordedCalls(env.db, func),
  };
}

/** The handler's answer as a document; a run that printed none fails the test here. */
export function docOf(run: HandlerRun): XmlNode {
  if (!run.doc)
    throw new Error(
      `the handler printed no XML document (exit ${String(run.code)}):\n${run.stdout}\n${run.stderr}`,
    );
  return run.doc;
}

/** A selling tariff as import_pricelist left it on the host: the tariff, its add-ons and enumeration items. */
export interface LocalTariff {
  id: number;
  intname: string;
  /** Local add-on tariff ids by the selling add-on's intname. */
  addons: Record<string, number>;
  /**
   * Local enumeration item ids by the selling item's intname, found through the module's links: the selling side
   * may send its items without intname, and then the local items have none.
   */
  enumerationItems: Record<string, number>;
}

/** Imports a sandbox tariff with the real `import_pricelist` and reads back what it created. */
export async function importTariff(env: ServicesEnv, intname: string): Promise<LocalTariff> {
  const selling = env.sandbox.state.tariffByIntname(intname);
  const run = await env.runModuleCommand('import_pricelist', [
    '--subcommand',
    'pricelist',
    '--id',
    String(selling.id),
  ]);
  if (run.code !== 0) throw new Error(`import_pricelist of ${intname} failed:\n${run.stdout}\n${run.stderr}`);
  const tariff = (await env
    .db('pricelist')
    .where({ remoteid: String(selling.id) })
    .whereNull('parent')
    .first('id', 'intname')) as {
    id: number;
    intname: string;
  };
  const addons = (await env
    .db('pricelist')
    .where({ parent: tariff.id })
    .select('id', 'remoteid', 'enumeration')) as {
    id: number;
    remoteid: string;
    enumeration: number | null;
  }[];
  const local: LocalTariff = {
    id: Number(tariff.id),
    intname: tariff.intname,
    addons: {},
    enumerationItems: {},
  };
  for (const addon of addons) {
    const sellingAddon = selling.addons.find((a) => String(a.id) === addon.remoteid);
    if (sellingAddon) local.addons[sellingAddon.intname] = Number(addon.id);
    if (addon.enumeration === null) continue;
    const items = (await env
      .db('enumerationitem as e')
      .leftJoin('bmp_enumeration_link as l', function () {
        this.on('l.enumerationitem', 'e.id')
          .andOnVal('l.selling_addon', addon.remoteid)
          .andOnVal('l.processingmodule', env.module);
      })
      .where({ 'e.enumeration': addon.enumeration })
      .select('e.id', 'e.intname', 'l.selling_item')) as {
      id: number;
      intname: string | null;
      selling_item: string | null;
    }[];
    const sellingItems = sellingAddon?.enumeration?.items ?? [];
    for (const item of items) {
      const sellingItem = sellingItems.find((i) => String(i.id) === item.selling_item);
      const intname = sellingItem?.intname ?? item.intname;
      if (intname) local.enumerationItems[intname] = Number(item.id);
    }
  }
  return local;
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
  for (const [intname, value] of Object.entries(fixture.addons ?? {}))
    addons[addonId(fixture.tariff, intname)] = value;
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

/** `pmbillmgr --command <command> --item N` under a running operation of its own, as the core runs it. */
export async function runUnderOperation(
  env: ServicesEnv,
  command: string,
  item: number,
): Promise<HandlerRun> {
  const op = await operation(env, item, command);
  return env.run(['--command', command, '--item', String(item), '--runningoperation', String(op)]);
}

/** The core's running operation for a command on a service. */
export function operation(env: Pick<ServicesEnv, 'db'>, item: number, intname: string): Promise<number> {
  return startOperation(env.db, item, intname);
}

export async function runningOperation(
  db: Knex,
  id: number,
): Promise<{ manual: string | null; errorxml: string | null } | undefined> {
  return (await db('runningoperation').where({ id }).first('manual', 'errorxml')) as
    { manual: string | null; errorxml: string | null } | undefined;
}

export async function itemRow(db: Knex, id: number): Promise<Record<string, unknown>> {
  return (await db('item').where({ id }).first()) as Record<string, unknown>;
}

/** `<error type object><msg/>` of a handler's answer. */
export function errorOfRun(run: HandlerRun): { type: string; object: string; msg: string } | undefined {
  const error = docOf(run).error as XmlNode | undefined;
  if (!error) return undefined;
  return { type: error.$?.type ?? '', object: error.$?.object ?? '', msg: String(error.msg ?? '') };
}

/**
 * The calls a run made to the stand-in, not in ISPsystem's SDK form: a changing call without sok=ok, or a
 * service.saveparam with name=/value= instead of the parameter's own name. paramlist only reads.
 */
export function callsNotInSdkForm(calls: readonly RecordedCall[]): RecordedCall[] {
  return calls
    .filter((c) => c.func !== 'paramlist')
    .filter((c) => c.params.sok !== 'ok' || (c.func === 'service.saveparam' && 'name' in c.params));
}

/** The suite's last test: every call the handlers made to the core was in the SDK's form, the database found through paramlist. */
export function describeCallsInSdkForm(env: () => ServicesEnv): void {
  describe('every call the handlers made to the core', () => {
    it("is in the SDK's form: paramlist to find the database, and sok=ok on each changing call", async () => {
      const calls = await env().mgrctlCalls();
      expect(calls.filter((c) => c.func === 'paramlist').length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.func !== 'paramlist').length).toBeGreaterThan(0);
      expect(callsNotInSdkForm(calls)).toEqual([]);
    });
  });
}
