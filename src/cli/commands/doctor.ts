/**
 * `billmgr-plugin doctor [--mgrdir DIR]`: checks that the plugin can run on this host, one line per check with a
 * fix for each failure; exits 1 when any check fails. Each check is a small function returning a `Check`.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Knex } from 'knex';
import type { PluginConfig } from '../../config';
import type { Mgrctl } from '../../contract/mgrctl';
import type { Logger } from '../../log';
import { MODULE_NAME } from '../../module-name';
import { outputOf } from '../output';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about it, when it failed. */
  fix?: string;
}

interface DoctorContext {
  config: PluginConfig;
  mgrctl: Mgrctl;
  /** Opened by the database check; later checks that need it fail when it could not be opened. */
  db?: Knex;
  readonly log: Logger;
  openDb(): Promise<Knex>;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the plugin on this host: mgrctl, database, migrations, installed files, cron, node, var/, selling sides',
    )
    .option('--mgrdir <dir>', 'host install root (default: the configured one, BMP_MGRDIR)')
    .action(async (options: { mgrdir?: string }, command: Command) => {
      const checks = await runDoctor(options.mgrdir);
      const failed = checks.filter((check) => !check.ok);
      outputOf(command).result({ ok: failed.length === 0, checks }, [
        ...checks.map(
          (check) =>
            `${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}${check.fix ? `\n       fix: ${check.fix}` : ''}`,
        ),
        failed.length === 0 ? 'all checks passed' : `${failed.length} check(s) failed`,
      ]);
      if (failed.length > 0) process.exitCode = 1;
    });
}

export async function runDoctor(mgrdir?: string): Promise<Check[]> {
  const { resolve } = await import('node:path');
  const { openRuntime } = await import('../../runtime');
  const rt = openRuntime({
    env: mgrdir ? { ...process.env, BMP_MGRDIR: resolve(mgrdir) } : process.env,
    logContext: { handler: 'doctor' },
  });
  const ctx: DoctorContext = {
    config: rt.config,
    mgrctl: rt.mgrctl,
    get log() {
      return rt.log;
    },
    openDb: () => rt.db(),
  };
  try {
    const checks: Check[] = [];
    for (const check of CHECKS) {
      try {
        checks.push(...[await check(ctx)].flat());
      } catch (err) {
        checks.push({
          name: check.name,
          ok: false,
          detail: `the check itself failed: ${(err as Error).message}`,
        });
      }
    }
    return checks;
  } finally {
    await rt.close();
  }
}

const CHECKS: ReadonlyArray<(ctx: DoctorContext) => Promise<Check | Check[]> | Check | Check[]> = [
  checkMgrctl,
  checkDatabase,
  checkMigrations,
  checkInstalledFiles,
  checkCron,
  checkNode,
  checkVarWritable,
  checkSellingSides,
];

async function checkMgrctl({ config, mgrctl }: DoctorContext): Promise<Check> {
  const name = 'mgrctl';
  const fix = `set BMP_MGRCTL (or mgrctl in the config file) to the host's mgrctl, usually ${join(config.mgrdir, 'sbin/mgrctl')}`;
  if (!isExecutable(config.mgrctlPath))
    return { name, ok: false, detail: `${config.mgrctlPath} is not an executable`, fix };
  try {
    await mgrctl.call('paramlist');
    return { name, ok: true, detail: `${config.mgrctlPath} answers` };
  } catch (err) {
    return {
      name,
      ok: false,
      detail: `${config.mgrctlPath} does not answer: ${(err as Error).message}`,
      fix,
    };
  }
}

async function checkDatabase(ctx: DoctorContext): Promise<Check> {
  const name = 'database';
  const from = ctx.config.databaseUrl !== undefined ? 'BMP_DATABASE_URL' : 'mgrctl paramlist';
  try {
    const db = await ctx.openDb();
    ctx.db = db;
    await db.raw('SELECT 1');
    return { name, ok: true, detail: `reachable (settings from ${from})` };
  } catch (err) {
    return {
      name,
      ok: false,
      detail: `not reachable with the settings from ${from}: ${(err as Error).message.split('\n')[0] ?? ''}`,
      fix: 'check DBHost, DBUser, DBPassword and DBName in `mgrctl -m billmgr paramlist`, and that the database server runs',
    };
  }
}

async function checkMigrations({ db }: DoctorContext): Promise<Check> {
  const name = 'migrations';
  if (!db)
    return { name, ok: false, detail: 'not checked: no database', fix: 'fix the database check first' };
  const { pendingMigrations } = await import('../../db/migrate');
  const pending = await pendingMigrations(db);
  return pending.length === 0
    ? { name, ok: true, detail: 'every migration is applied' }
    : { name, ok: false, detail: `not applied: ${pending.join(', ')}`, fix: 'run `billmgr-plugin migrate`' };
}

async function checkInstalledFiles({ config }: DoctorContext): Promise<Check> {
  const name = 'installed files';
  const { readRecord, changedInstalledFiles } = await import('../../plugin/install');
  const record = readRecord(config.mgrdir);
  const reinstall = `run \`billmgr-plugin plugin install --mgrdir ${config.mgrdir}\` from the release's checkout`;
  if (!record)
    return { name, ok: false, detail: `the plugin is not installed in ${config.mgrdir}`, fix: reinstall };
  const changed = changedInstalledFiles(config.mgrdir, record);
  return changed.length === 0
    ? {
        name,
        ok: true,
        detail: `${record.files.length} files and release ${record.release.ids.at(-1) ?? ''} as installed`,
      }
    : { name, ok: false, detail: `changed or missing since install: ${changed.join(', ')}`, fix: reinstall };
}

async function checkCron({ config }: DoctorContext): Promise<Check> {
  const name = 'cron';
  const { readRecord } = await import('../../plugin/install');
  const record = readRecord(config.mgrdir);
  const fix = `run \`billmgr-plugin plugin install --mgrdir ${config.mgrdir} --crondir /etc/cron.d\``;
  const cronFile = record?.files.map((f) => f.path).find((path) => path.startsWith('/'));
  if (!cronFile) return { name, ok: false, detail: 'no cron file is recorded', fix };
  if (!existsSync(cronFile)) return { name, ok: false, detail: `${cronFile} is missing`, fix };
  const jobs = readFileSync(cronFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const broken = jobs
    .map((line) => /^(?:\S+\s+){6}'([^']+)'/.exec(line)?.[1] ?? line)
    .filter((executable) => !executable.startsWith('/') || !isExecutable(executable));
  if (jobs.length === 0) return { name, ok: false, detail: `${cronFile} has no jobs`, fix };
  return broken.length === 0
    ? { name, ok: true, detail: `${jobs.length} jobs in ${cronFile}` }
    : { name, ok: false, detail: `${cronFile} runs what is not an executable: ${broken.join(', ')}`, fix };
}

async function checkNode({ config }: DoctorContext): Promise<Check> {
  const name = 'node';
  const { nodeVersionOf, isNode20OrNewer } = await import('../../plugin/node');
  const wrapper = join(config.mgrdir, 'processing', MODULE_NAME);
  const node = existsSync(wrapper) ? /^exec '([^']+)'/m.exec(readFileSync(wrapper, 'utf8'))?.[1] : undefined;
  const path = node ?? process.execPath;
  const version = nodeVersionOf(path);
  const fix = 'install node 20 or newer and run `billmgr-plugin plugin install --node PATH` again';
  if (version === undefined) return { name, ok: false, detail: `${path} does not run`, fix };
  return isNode20OrNewer(version)
    ? { name, ok: true, detail: `${path} is node ${version}` }
    : { name, ok: false, detail: `${path} is node ${version}, older than 20`, fix };
}

function checkVarWritable({ config }: DoctorContext): Check {
  const name = 'var/';
  const dir = join(config.mgrdir, 'var');
  try {
    accessSync(dir, constants.W_OK);
    return { name, ok: true, detail: `${dir} is writable (handlers log there)` };
  } catch {
    return {
      name,
      ok: false,
      detail: `${dir} is missing or not writable`,
      fix: `create ${dir}, writable by the user cron runs the jobs as`,
    };
  }
}

/** check_connection of every active module: the same login and account checks the panel's button makes. */
async function checkSellingSides(ctx: DoctorContext): Promise<Check[]> {
  if (!ctx.db)
    return [
      {
        name: 'selling sides',
        ok: false,
        detail: 'not checked: no database',
        fix: 'fix the database check first',
      },
    ];
  const [{ activeModules, loadModuleSettings }, { checkConnection }, { buildDoc }] = await Promise.all([
    import('../../db/processing-module'),
    import('../../reseller/services/check-connection'),
    import('../../contract/xml'),
  ]);
  const modules = await activeModules(ctx.db);
  if (modules.length === 0)
    return [{ name: 'selling sides', ok: true, detail: `no active ${MODULE_NAME} module yet` }];
  const log = ctx.log;
  const checks: Check[] = [];
  for (const row of modules) {
    const name = `module ${row.id} (${row.name})`;
    try {
      const settings = await loadModuleSettings(ctx.db, ctx.mgrctl, row.id);
      const form = buildDoc({
        processingmodule: { url: settings.url, username: settings.username, password: settings.password },
      });
      const account = await checkConnection(form, ctx.config, log);
      checks.push({ name, ok: true, detail: `selling side answers: client '${account.name}'` });
    } catch (err) {
      checks.push({
        name,
        ok: false,
        detail: `selling side: ${(err as Error).message}`,
        fix: "check the module's URL, username and password in the panel (Processing modules), and that the selling BILLmanager is up",
      });
    }
  }
  return checks;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
