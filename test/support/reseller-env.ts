/**
 * Shared e2e setup for pmbillmgr: the sandbox selling BILLmanager (in this process), a throwaway MariaDB with the
 * host fixture and a catalog of product types, currencies and rates, a pmbillmgr module pointing at the sandbox,
 * and `runHandler` to spawn the real handler (run `npm run build` first) with the host stand-in as mgrctl.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { parseXml, type XmlNode } from '../../src/contract/xml';
import { ensureHostKey } from '../../src/host-standin/host-key';
import { projectPath } from '../../src/paths';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import { createModule, type ModuleFixture } from './module';
import { createThrowawayDb, type ThrowawayDb } from './mysql';

/** The order periods the fixture's product types sell (the sandbox's tariffs sell 1, 3 and 12 months). */
export const FIXTURE_PERIODS = ['monthly', 'quarterly', 'annually'] as const;
export const FIXTURE_ITEMTYPES = ['vds', 'dedic', 'vhost', 'soft', 'certificate'] as const;

/** Main currency RUB; USD and EUR convert into it. 92.45 makes 0.10 USD exactly 9.245 RUB (a rounding tie). */
export const FIXTURE_RATES = { USD: '92.45000000', EUR: '100.10000000' } as const;

export interface HostCatalog {
  project: number;
  currencies: { RUB: number; USD: number; EUR: number };
  /** itemtype id by intname. */
  itemtypes: Record<(typeof FIXTURE_ITEMTYPES)[number], number>;
}

export interface HandlerRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as `<doc>`; undefined when it is not one. */
  doc: XmlNode | undefined;
}

export interface ResellerEnv {
  sandbox: Sandbox;
  db: Knex;
  dbUrl: string;
  mgrdir: string;
  /** The pmbillmgr processing module's id. */
  module: number;
  catalog: HostCatalog;
  /**
   * Environment for spawning handlers: BMP_MGRCTL (the stand-in), BMP_STANDIN_DATABASE_URL (the stand-in's
   * database, which handlers learn through paramlist), BMP_MGRDIR, BMP_LOG=stderr.
   */
  env: Record<string, string>;
  /** Spawns `handlers/pmbillmgr` with `args` (and `stdin`), waits for it to end. */
  runHandler(args: readonly string[], stdin?: string, extraEnv?: Record<string, string>): Promise<HandlerRun>;
  /** `runHandler` with `--command <command> --module <module>` first. */
  runModuleCommand(
    command: string,
    args?: readonly string[],
    extraEnv?: Record<string, string>,
  ): Promise<HandlerRun>;
  close(): Promise<void>;
}

export interface ResellerEnvOptions {
  sandbox?: SandboxOptions;
  module?: Partial<ModuleFixture>;
  /** Leave out the host's currencies, rates and product types (tests that set up their own). */
  bareHost?: boolean;
}

export async function startResellerEnv(options: ResellerEnvOptions = {}): Promise<ResellerEnv> {
  const sandbox = await startSandbox(options.sandbox);
  let throwaway: ThrowawayDb | undefined;
  let mgrdir: string | undefined;
  try {
    throwaway = await createThrowawayDb();
    mgrdir = await mkdtemp(join(tmpdir(), 'bmp-reseller-'));
    const keyPath = ensureHostKey(mgrdir);
    const catalog = options.bareHost ? emptyCatalog() : await seedHostCatalog(throwaway.db);
    const module = await createModule(throwaway.db, { url: sandbox.url, ...options.module }, keyPath);
    const env = {
      BMP_MGRCTL: projectPath('bin', 'host-mgrctl'),
      // Only the host's mgrctl knows the database, as on a real host: handlers find it through paramlist.
      BMP_STANDIN_DATABASE_URL: throwaway.url,
      BMP_MGRDIR: mgrdir,
      BMP_LOG: 'stderr',
      BMP_HTTP_TIMEOUT_MS: '5000',
      BMP_HTTP_RETRIES: '1',
      BMP_HTTP_MAX_BACKOFF_MS: '200',
    };
    const runHandler = (args: readonly string[], stdin?: string, extraEnv: Record<string, string> = {}) =>
      spawnHandler('pmbillmgr', args, { ...env, ...extraEnv }, stdin);
    const t = throwaway;
    const dir = mgrdir;
    return {
      sandbox,
      db: t.db,
      dbUrl: t.url,
      mgrdir: dir,
      module,
      catalog,
      env,
      runHandler,
      runModuleCommand: (command, args = [], extraEnv) =>
        runHandler(['--command', command, '--module', String(module), ...args], undefined, extraEnv),
      async close() {
        await sandbox.close();
        await t.drop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sandbox.close();
    await throwaway?.drop();
    if (mgrdir) await rm(mgrdir, { recursive: true, force: true });
    throw err;
  }
}

/** Runs one handler executable from handlers/ with exactly `env` added to a PATH-only environment. */
export async function spawnHandler(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<HandlerRun> {
  const child = spawn(process.execPath, [projectPath('handlers', name), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  const doc = await parseXml(stdout, name).catch(() => undefined);
  return { code, stdout, stderr, doc };
}

function emptyCatalog(): HostCatalog {
  return {
    project: 0,
    currencies: { RUB: 0, USD: 0, EUR: 0 },
    itemtypes: { vds: 0, dedic: 0, vhost: 0, soft: 0, certificate: 0 },
  };
}

/** One provider with main currency RUB, USD and EUR with rates into RUB, and the resold product types. */
export async function seedHostCatalog(db: Knex): Promise<HostCatalog> {
  const insert = async (table: string, row: Record<string, unknown>) =>
    Number((await db(table).insert(row))[0]);
  const project = await insert('project', { name: 'Reseller Ltd', active: 'on' });
  const currencies = {
    RUB: await insert('currency', { name: 'Russian ruble', iso: 'RUB', code: 643, active: 'on' }),
    USD: await insert('currency', { name: 'US dollar', iso: 'USD', code: 840, active: 'on' }),
    EUR: await insert('currency', { name: 'Euro', iso: 'EUR', code: 978, active: 'on' }),
  };
  await db('project2currency').insert([
    { project, currency: currencies.RUB, main: 'on' },
    { project, currency: currencies.USD, main: 'off' },
    { project, currency: currencies.EUR, main: 'off' },
  ]);
  await db('currencyrate').insert([
    // An old rate first: the newest one must win.
    { currency: currencies.USD, relcurrency: currencies.RUB, rate: '61.00000000', ratedate: '2020-01-01' },
    {
      currency: currencies.USD,
      relcurrency: currencies.RUB,
      rate: FIXTURE_RATES.USD,
      ratedate: '2026-11-01',
    },
    {
      currency: currencies.EUR,
      relcurrency: currencies.RUB,
      rate: FIXTURE_RATES.EUR,
      ratedate: '2026-11-01',
    },
  ]);
  const itemtypes = {} as HostCatalog['itemtypes'];
  for (const intname of FIXTURE_ITEMTYPES) {
    const periods = Object.fromEntries(FIXTURE_PERIODS.map((p) => [p, 'on']));
    itemtypes[intname] = await insert('itemtype', { intname, name: intname, ...periods });
  }
  return { project, currencies, itemtypes };
}
