/** plugin install/uninstall into a temporary host tree: what lands where, idempotence, and leaving others' files alone. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { INSTALL_RECORD, install, PluginInstallError, uninstall } from '../../src/plugin/install';
import {
  loadManifest,
  ManifestError,
  validateManifest,
  type PluginManifest,
} from '../../src/plugin/manifest';
import { projectPath } from '../../src/paths';

let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'plugin-install-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Every file and directory under `root`, with content hash and mode: two equal snapshots mean nothing changed. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = prefix ? `${prefix}/${name}` : name;
      const stat = statSync(path);
      if (stat.isDirectory()) {
        entries[key + '/'] = `dir ${(stat.mode & 0o777).toString(8)}`;
        walk(path, key);
      } else {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
        entries[key] = `${(stat.mode & 0o777).toString(8)} ${hash} ${stat.mtimeMs}`;
      }
    }
  };
  walk(root, '');
  return entries;
}

function put(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [projectPath('bin', 'billmgr-plugin'), ...args], {
    encoding: 'utf8',
    timeout: 30000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the real plugin.json, through `billmgr-plugin plugin install`', () => {
  const manifest = loadManifest(projectPath('plugin.json'));

  it('lists the handlers, the panel XML, both cron lines and the migrations', () => {
    expect(manifest.handlers.map((h) => [h.source, h.target])).toEqual([
      ['handlers/pmbillmgr', 'processing/pmbillmgr'],
      ['handlers/checkevent', 'addon/checkevent'],
      ['handlers/affiliatemonthly', 'addon/affiliatemonthly'],
      ['handlers/counter', 'mancgi/counter'],
      ['handlers/bmp_signup', 'addon/bmp_signup'],
      ['handlers/bmp_account_referral', 'addon/bmp_account_referral'],
      ['handlers/bmp_order_promocode', 'addon/bmp_order_promocode'],
    ]);
    expect(manifest.xml).toEqual([
      { source: 'etc/xml/billmgr_mod_pmbillmgr.xml', target: 'etc/xml/billmgr_mod_pmbillmgr.xml' },
    ]);
    expect(manifest.cron.jobs).toEqual([
      { schedule: '*/5 * * * *', handler: 'checkevent' },
      { schedule: '0 3 1 * *', handler: 'affiliatemonthly' },
    ]);
    expect(existsSync(projectPath(manifest.migrations.list))).toBe(true);
  });

  it('installs into a host tree, changes nothing when re-run, and uninstalls back to the tree it found', async () => {
    const mgrdir = join(scratch, 'mgr5');
    put(join(mgrdir, 'etc', 'billmgr.conf'), 'pre-existing host file\n');
    put(join(mgrdir, 'processing', 'pmmanual'), '#!/bin/sh\n', 0o755);
    const before = snapshot(mgrdir);

    const first = cli('--json', 'plugin', 'install', '--mgrdir', mgrdir);
    expect(first.stdout).not.toContain('"error"');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as { created: string[]; unchanged: string[] };
    const targets = [...manifest.handlers, ...manifest.xml].map((e) => e.target);
    expect(report.created.sort()).toEqual([...targets, manifest.cron.target].sort());

    for (const handler of manifest.handlers) {
      expect(statSync(join(mgrdir, handler.target)).mode & 0o111).toBe(0o111);
    }
    expect(readFileSync(join(mgrdir, 'etc/xml/billmgr_mod_pmbillmgr.xml'), 'utf8')).toBe(
      readFileSync(projectPath('etc/xml/billmgr_mod_pmbillmgr.xml'), 'utf8'),
    );
    const cron = readFileSync(join(mgrdir, 'etc/cron.d/billmgr-plugin'), 'utf8');
    expect(cron).toContain(`*/5 * * * * root '${mgrdir}/addon/checkevent'`);
    expect(cron).toContain(`0 3 1 * * root '${mgrdir}/addon/affiliatemonthly'`);

    // The installed processing module is the real one: the host can ask it for its features.
    const features = spawnSync(join(mgrdir, 'processing/pmbillmgr'), ['--command', 'features'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', BMP_LOG: 'stderr' },
    });
    expect(features.status).toBe(0);
    expect(features.stdout).toMatch(/^<doc>[\s\S]*<itemtype name="vds"\/>[\s\S]*<\/doc>\n$/);

    const installed = snapshot(mgrdir);
    const again = cli('--json', 'plugin', 'install', '--mgrdir', mgrdir);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: [], updated: [], removed: [] });
    expect(snapshot(mgrdir)).toEqual(installed);

    const removal = cli('plugin', 'install', '--mgrdir', mgrdir, '--uninstall');
    expect(removal.status).toBe(0);
    expect(removal.stdout).toContain(`uninstalled from ${mgrdir}`);
    expect(snapshot(mgrdir)).toEqual(before);
  });

  it('refuses to run without --mgrdir', () => {
    const run = cli('plugin', 'install');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("required option '--mgrdir <dir>' not specified");
  });
});

describe('install() and uninstall() on a small project', () => {
  let root: string;
  let mgrdir: string;
  const manifest: PluginManifest = validateManifest({
    name: 'demo-plugin',
    handlers: [
      { name: 'pmdemo', source: 'handlers/pmdemo', target: 'processing/pmdemo' },
      { name: 'tick', source: 'handlers/tick', target: 'addon/tick' },
    ],
    xml: [{ source: 'etc/xml/demo.xml', target: 'etc/xml/billmgr_mod_pmdemo.xml' }],
    cron: {
      target: 'etc/cron.d/demo-plugin',
      user: 'root',
      jobs: [{ schedule: '*/5 * * * *', handler: 'tick' }],
    },
    migrations: { list: 'sql/migrations/index.ts', apply: 'demo migrate' },
  });

  beforeEach(() => {
    root = join(scratch, 'project');
    mgrdir = join(scratch, 'mgr5');
    put(join(root, 'handlers/pmdemo'), '#!/bin/sh\necho "pmdemo BMP_MGRDIR=$BMP_MGRDIR $*"\n', 0o755);
    put(join(root, 'handlers/tick'), '#!/bin/sh\necho tick\n', 0o755);
    put(join(root, 'etc/xml/demo.xml'), '<mgrdata><plugin name="pmdemo"/></mgrdata>\n');
    mkdirSync(mgrdir);
  });

  const installHere = (options: { force?: boolean; manifest?: PluginManifest } = {}) =>
    install({ mgrdir, projectRoot: root, manifest, nodePath: '/bin/sh', ...options });

  it('writes wrappers that run the project handler with the host mgrdir, and records every path', () => {
    const report = installHere();
    expect(report.created).toEqual([
      'processing/pmdemo',
      'addon/tick',
      'etc/xml/billmgr_mod_pmdemo.xml',
      'etc/cron.d/demo-plugin',
    ]);
    const run = spawnSync(join(mgrdir, 'processing/pmdemo'), ['--command', 'features'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(run.stdout).toBe(`pmdemo BMP_MGRDIR=${mgrdir} --command features\n`);
    const record = JSON.parse(readFileSync(join(mgrdir, INSTALL_RECORD), 'utf8')) as {
      files: { path: string }[];
      directories: string[];
    };
    expect(record.files.map((f) => f.path)).toEqual(report.created);
    expect(record.directories.sort()).toEqual(['addon', 'etc', 'etc/cron.d', 'etc/xml', 'processing']);
  });

  it('lets an explicit BMP_MGRDIR win over the one written into the wrapper', () => {
    installHere();
    const run = spawnSync(join(mgrdir, 'processing/pmdemo'), [], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', BMP_MGRDIR: '/elsewhere' },
    });
    expect(run.stdout).toBe('pmdemo BMP_MGRDIR=/elsewhere \n');
  });

  it('names a missing source file and writes nothing', () => {
    rmSync(join(root, 'etc/xml/demo.xml'));
    const before = snapshot(mgrdir);
    expect(() => installHere()).toThrow(PluginInstallError);
    expect(() => installHere()).toThrow(/missing from .*\n {2}etc\/xml\/demo\.xml$/);
    expect(snapshot(mgrdir)).toEqual(before);
  });

  it('refuses to overwrite a file that was there before, and changes nothing', () => {
    put(join(mgrdir, 'addon/tick'), 'the host admin wrote this\n', 0o755);
    const before = snapshot(mgrdir);
    expect(() => installHere()).toThrow(
      /already exist .*not installed by this plugin[\s\S]*\n {2}addon\/tick$/,
    );
    expect(snapshot(mgrdir)).toEqual(before);
  });

  it('with force keeps the file in the way aside and puts it back on uninstall', () => {
    put(join(mgrdir, 'addon/tick'), 'the host admin wrote this\n', 0o755);
    const before = snapshot(mgrdir);
    const report = installHere({ force: true });
    expect(report.keptAside).toEqual(['addon/tick']);
    expect(readFileSync(join(mgrdir, 'addon/tick'), 'utf8')).toContain('billmgr-plugin handler');
    expect(readFileSync(join(mgrdir, 'addon/tick.billmgr-plugin-orig'), 'utf8')).toBe(
      'the host admin wrote this\n',
    );
    expect(installHere().unchanged).toContain('addon/tick');

    const removal = uninstall({ mgrdir });
    expect(removal.restored).toEqual(['addon/tick']);
    const after = snapshot(mgrdir);
    // rename keeps the original file as it was, mtime included: the tree is exactly as before.
    expect(after).toEqual(before);
  });

  it('leaves other files in shared directories alone, and those directories too', () => {
    put(join(mgrdir, 'etc/xml/billmgr_mod_pmother.xml'), '<mgrdata/>\n');
    installHere();
    put(join(mgrdir, 'processing/pmlater'), 'added after install\n');
    const removal = uninstall({ mgrdir });
    expect(readFileSync(join(mgrdir, 'etc/xml/billmgr_mod_pmother.xml'), 'utf8')).toBe('<mgrdata/>\n');
    expect(readFileSync(join(mgrdir, 'processing/pmlater'), 'utf8')).toBe('added after install\n');
    expect(removal.kept).toEqual(['processing/']);
    expect(existsSync(join(mgrdir, 'addon'))).toBe(false);
    expect(existsSync(join(mgrdir, 'etc/cron.d'))).toBe(false);
    expect(existsSync(join(mgrdir, INSTALL_RECORD))).toBe(false);
  });

  it('keeps an installed file that was edited since, until uninstall --force', () => {
    installHere();
    writeFileSync(join(mgrdir, 'etc/cron.d/demo-plugin'), '# tuned by the admin\n');
    const first = uninstall({ mgrdir });
    expect(first.kept).toEqual(['etc/cron.d/demo-plugin', 'etc/cron.d/', 'etc/']);
    expect(existsSync(join(mgrdir, 'processing/pmdemo'))).toBe(false);
    expect(existsSync(join(mgrdir, INSTALL_RECORD))).toBe(true);

    const forced = uninstall({ mgrdir, force: true });
    expect(forced.removed).toContain('etc/cron.d/demo-plugin');
    expect(readdirSync(mgrdir)).toEqual([]);
  });

  it('rewrites a wrapper an admin edited when install runs again', () => {
    installHere();
    writeFileSync(join(mgrdir, 'processing/pmdemo'), 'broken\n');
    expect(installHere().updated).toEqual(['processing/pmdemo']);
    expect(readFileSync(join(mgrdir, 'processing/pmdemo'), 'utf8')).toContain('exec ');
  });

  it('removes a file the manifest no longer lists when install runs again', () => {
    installHere();
    const smaller = { ...manifest, xml: [] };
    expect(installHere({ manifest: smaller }).removed).toEqual(['etc/xml/billmgr_mod_pmdemo.xml']);
    expect(existsSync(join(mgrdir, 'etc/xml/billmgr_mod_pmdemo.xml'))).toBe(false);
  });

  it('reports nothing to do when nothing was installed', () => {
    expect(uninstall({ mgrdir })).toEqual({
      mgrdir,
      wasInstalled: false,
      removed: [],
      restored: [],
      kept: [],
    });
  });
});

describe('validateManifest', () => {
  it('reports every problem at once', () => {
    const bad = {
      name: '',
      handlers: [{ name: 'x', source: '/abs/x', target: '../outside' }],
      xml: 'none',
      cron: { target: 'etc/cron.d/x', user: 'root', jobs: [{ schedule: '* * *', handler: 'y' }] },
      migrations: {},
    };
    let error: unknown;
    try {
      validateManifest(bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const message = (error as Error).message;
    for (const problem of [
      'name must be a non-empty string',
      "handlers[0].source must be a relative path without '..', got '/abs/x'",
      "handlers[0].target must be a relative path without '..', got '../outside'",
      'xml must be a list',
      'cron.jobs[0].schedule must have five fields',
      'cron.jobs[0].handler must name one of the handlers',
      'migrations must have string fields list and apply',
    ]) {
      expect(message).toContain(problem);
    }
  });
});
