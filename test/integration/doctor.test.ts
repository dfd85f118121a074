/**
 * `billmgr-plugin doctor` on a host tree the plugin was installed into (stand-in mgrctl, MariaDB, the sandbox as
 * the selling side): it passes on a correct host, and on a broken one names each broken part and exits 1.
 */
import { appendFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostKeyPath, ensureHostKey } from '../../src/host-standin/host-key';
import { install } from '../../src/plugin/install';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { cli, cliAsync, makeHostTree, type HostTree } from '../support/host-tree';
import { createModule } from '../support/module';
import { createThrowawayDb, type ThrowawayDb } from '../support/mysql';

interface DoctorReport {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string; fix?: string }[];
}

let scratch: string;
let throwaway: ThrowawayDb;
let sandbox: Sandbox;
let tree: HostTree;
let moduleId: number;
let sandboxClosed = false;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'doctor-'));
  throwaway = await createThrowawayDb();
  sandbox = await startSandbox();
  tree = makeHostTree(scratch, { databaseUrl: throwaway.url });
  ensureHostKey(tree.mgrdir);
  moduleId = await createModule(throwaway.db, { url: sandbox.url }, hostKeyPath(tree.mgrdir));
  install({ mgrdir: tree.mgrdir, crondir: tree.crondir });
}, 60_000);

afterAll(async () => {
  if (!sandboxClosed) await sandbox?.close();
  await throwaway?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

async function doctor(): Promise<{ status: number | null; report: DoctorReport }> {
  // No BMP_DATABASE_URL: the doctor finds the database through mgrctl paramlist, as on a real host.
  const run = await cliAsync(['--json', 'doctor', '--mgrdir', tree.mgrdir], {
    env: { BMP_MGRCTL: tree.mgrctl, BMP_HTTP_RETRIES: '0', BMP_HTTP_TIMEOUT_MS: '3000' },
  });
  return { status: run.status, report: JSON.parse(run.stdout) as DoctorReport };
}

const failing = (report: DoctorReport) => report.checks.filter((c) => !c.ok).map((c) => c.name);

it('passes on a correct host, every check named', async () => {
  const { status, report } = await doctor();
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.checks.map((c) => c.name)).toEqual([
    'mgrctl',
    'database',
    'migrations',
    'installed files',
    'cron',
    'node',
    'var/',
    `module ${moduleId} (Selling BILLmanager)`,
  ]);
  expect(report.ok).toBe(true);
  expect(status).toBe(0);
});

it('names each broken part, with a fix, and exits 1', async () => {
  const processing = join(tree.mgrdir, 'cgi/bmp-counter');
  appendFileSync(processing, '# edited\n');
  unlinkSync(join(tree.crondir, 'billmgr-reseller-plugin'));
  await throwaway.db('bmp_migrations').where({ name: '20261201_0004_receipt_applied' }).delete();
  await sandbox.close();
  sandboxClosed = true;

  const { status, report } = await doctor();

  expect(status).toBe(1);
  expect(report.ok).toBe(false);
  expect(failing(report)).toEqual([
    'migrations',
    'installed files',
    'cron',
    `module ${moduleId} (Selling BILLmanager)`,
  ]);
  const check = (name: string) => report.checks.find((c) => c.name === name);
  expect(check('migrations')?.detail).toBe('not applied: 20261201_0004_receipt_applied');
  expect(check('migrations')?.fix).toBe('run `billmgr-plugin migrate`');
  expect(check('installed files')?.detail).toContain('cgi/bmp-counter');
  expect(check('installed files')?.detail).toContain(join(tree.crondir, 'billmgr-reseller-plugin'));
  expect(check('cron')?.detail).toBe(`${join(tree.crondir, 'billmgr-reseller-plugin')} is missing`);
  expect(check(`module ${moduleId} (Selling BILLmanager)`)?.detail).toMatch(/^selling side: /);
  for (const name of failing(report)) expect(check(name)?.fix).toBeTruthy();
});

it('fails the mgrctl and database checks when mgrctl is not there', () => {
  const run = cli(['doctor', '--mgrdir', tree.mgrdir], {
    env: { BMP_MGRCTL: join(scratch, 'nothing-here') },
  });
  expect(run.status).toBe(1);
  expect(run.stdout).toContain(`FAIL mgrctl: ${join(scratch, 'nothing-here')} is not an executable`);
  expect(run.stdout).toMatch(/FAIL database: not reachable with the settings from mgrctl paramlist/);
});
