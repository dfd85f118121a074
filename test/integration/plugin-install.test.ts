/**
 * plugin install/uninstall into a temporary host tree that already holds BILLmanager's own files: what lands where,
 * that vendor files are never touched, the system cron file, the release the handlers run, the panel restart.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COUNTER_PATH } from '../../src/affiliate/counter';
import { COUNTER_CGI_NAME, MODULE_NAME } from '../../src/module-name';
import { INSTALL_RECORD, install, PluginInstallError, uninstall } from '../../src/plugin/install';
import {
  loadManifest,
  ManifestError,
  validateManifest,
  type PluginManifest,
} from '../../src/plugin/manifest';
import { projectPath } from '../../src/paths';
import {
  checkoutCopy,
  cli,
  makeHostTree,
  mgrctlCalls,
  put,
  snapshot,
  VENDOR_FILES,
  type HostTree,
} from '../support/host-tree';

let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'plugin-install-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const PLUGIN_FILES = [
  `processing/${MODULE_NAME}`,
  'addon/bmp-checkevent',
  'addon/bmp-affiliatemonthly',
  `cgi/${COUNTER_CGI_NAME}`,
  'addon/bmp_signup',
  'addon/bmp_account_referral',
  'addon/bmp_order_promocode',
  'addon/bmp_promotions',
  'addon/bmp_promotion_price',
  'addon/bmp-promotioncron',
  `etc/xml/billmgr_mod_${MODULE_NAME}.xml`,
  `skins/common/plugin-logo/billmanager-plugin-${MODULE_NAME}.png`,
];

const vendorBytes = (tree: HostTree): Record<string, string> =>
  Object.fromEntries(
    Object.keys(VENDOR_FILES).map((path) => [path, snapshot(tree.mgrdir)[path] ?? 'missing']),
  );

describe('the real plugin.json, through `billmgr-plugin plugin install`', () => {
  const manifest = loadManifest(projectPath('plugin.json'));

  it("installs under names of its own, none of them BILLmanager's built-ins", () => {
    expect(MODULE_NAME).toMatch(/^pm[a-z]+$/);
    expect([...manifest.handlers, ...manifest.files].map((e) => e.target)).toEqual(PLUGIN_FILES);
    for (const builtIn of Object.keys(VENDOR_FILES)) expect(PLUGIN_FILES).not.toContain(builtIn);
    // The panel serves cgi/<name> at /mancgi/<name>: the counter's URL follows the installed name.
    expect(COUNTER_PATH).toBe(`/mancgi/${COUNTER_CGI_NAME}`);
    expect(manifest.cron.jobs).toEqual([
      { schedule: '*/5 * * * *', handler: 'checkevent' },
      { schedule: '0 3 1 * *', handler: 'affiliatemonthly', args: ['--quiet'] },
      { schedule: '17 * * * *', handler: 'promotioncron', args: ['--quiet'] },
    ]);
    expect(existsSync(projectPath(manifest.migrations.list))).toBe(true);
  });

  it('installs beside the vendor files from a relative --mgrdir, restarts the panel, and uninstalls back to the tree it found', () => {
    const tree = makeHostTree(scratch);
    const before = snapshot(tree.mgrdir);
    const cronBefore = snapshot(tree.crondir);
    const env = { BMP_MGRCTL: tree.mgrctl };
    const elsewhere = join(scratch, 'elsewhere');
    mkdirSync(elsewhere);

    // From another working directory, with paths relative to it.
    const first = cli(['--json', 'plugin', 'install', '--mgrdir', '../mgr5', '--crondir', '../cron.d'], {
      cwd: elsewhere,
      env,
    });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as {
      created: string[];
      mgrdir: string;
      restart: { ok: boolean };
    };
    expect(report.mgrdir).toBe(tree.mgrdir);
    expect(report.created).toEqual([...PLUGIN_FILES, join(tree.crondir, 'billmgr-reseller-plugin')]);
    expect(vendorBytes(tree)).toEqual(
      Object.fromEntries(Object.keys(VENDOR_FILES).map((path) => [path, before[path]])),
    );
    expect(readFileSync(join(tree.mgrdir, 'processing/pmbillmgr'), 'utf8')).toBe(
      VENDOR_FILES['processing/pmbillmgr']?.content,
    );
    expect(mgrctlCalls(tree)).toEqual(['-m billmgr -R']);

    for (const path of PLUGIN_FILES.slice(0, 4)) {
      const text = readFileSync(join(tree.mgrdir, path), 'utf8');
      expect(statSync(join(tree.mgrdir, path)).mode & 0o100).toBe(0o100);
      expect(text).toContain(`BMP_MGRDIR:=${tree.mgrdir}}`);
      expect(text).toContain(`'${tree.mgrdir}/var/billmgr-reseller-plugin/current/handlers/`);
      expect(text).not.toContain(projectPath('dist'));
    }
    const xml = readFileSync(join(tree.mgrdir, `etc/xml/billmgr_mod_${MODULE_NAME}.xml`), 'utf8');
    expect(xml).toContain(`<plugin name="${MODULE_NAME}">`);
    expect(xml).not.toContain('pmbillmgr');
    expect(xml).not.toContain('{{module}}');

    // The cron file is in the system cron directory, every command an absolute path to an executable.
    expect(existsSync(join(tree.mgrdir, 'etc/cron.d'))).toBe(false);
    const cron = readFileSync(join(tree.crondir, 'billmgr-reseller-plugin'), 'utf8');
    const jobs = cron.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(jobs).toEqual([
      `*/5 * * * * root '${tree.mgrdir}/addon/bmp-checkevent'`,
      `0 3 1 * * root '${tree.mgrdir}/addon/bmp-affiliatemonthly' --quiet`,
      `17 * * * * root '${tree.mgrdir}/addon/bmp-promotioncron' --quiet`,
    ]);
    for (const job of jobs) {
      const executable = /'([^']+)'/.exec(job)?.[1] ?? '';
      expect(executable.startsWith('/')).toBe(true);
      expect(statSync(executable).mode & 0o100).toBe(0o100);
    }

    // The installed processing module is the real one: the host can ask it for its features.
    const features = spawnSync(join(tree.mgrdir, `processing/${MODULE_NAME}`), ['--command', 'features'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', BMP_LOG: 'stderr' },
    });
    expect(features.status).toBe(0);
    expect(features.stdout).toMatch(/^<doc>[\s\S]*<itemtype name="vds"\/>[\s\S]*<\/doc>\n$/);

    const installed = snapshot(tree.mgrdir);
    const again = cli(['--json', 'plugin', 'install', '--mgrdir', tree.mgrdir, '--crondir', tree.crondir], {
      env,
    });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      created: [],
      updated: [],
      removed: [],
      release: { created: false },
    });
    expect(snapshot(tree.mgrdir)).toEqual(installed);

    const removal = cli(['plugin', 'install', '--mgrdir', '../mgr5', '--uninstall'], { cwd: elsewhere, env });
    expect(removal.stderr).toBe('');
    expect(removal.status).toBe(0);
    expect(removal.stdout).toContain(`uninstalled from ${tree.mgrdir}`);
    expect(snapshot(tree.mgrdir)).toEqual(before);
    expect(snapshot(tree.crondir)).toEqual(cronBefore);
    expect(mgrctlCalls(tree)).toEqual(['-m billmgr -R', '-m billmgr -R', '-m billmgr -R']);
  });

  it('refuses, naming it, when one of its own names is taken, and has no option to overwrite it', () => {
    const tree = makeHostTree(scratch);
    put(join(tree.mgrdir, 'cgi/bmp-counter'), 'someone else\n', 0o755);
    const before = snapshot(tree.mgrdir);
    const run = cli(['plugin', 'install', '--mgrdir', tree.mgrdir, '--crondir', tree.crondir], {
      env: { BMP_MGRCTL: tree.mgrctl },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/were not installed by this plugin[\s\S]*\n {2}cgi\/bmp-counter\n/);
    expect(snapshot(tree.mgrdir)).toEqual(before);
    expect(mgrctlCalls(tree)).toEqual([]);

    const forced = cli(['plugin', 'install', '--mgrdir', tree.mgrdir, '--crondir', tree.crondir, '--force']);
    expect(forced.status).toBe(1);
    expect(forced.stderr).toContain("unknown option '--force'");
    expect(snapshot(tree.mgrdir)).toEqual(before);
  });

  it('with --no-restart leaves the panel alone and says what to run', () => {
    const tree = makeHostTree(scratch);
    const run = cli(
      ['plugin', 'install', '--mgrdir', tree.mgrdir, '--crondir', tree.crondir, '--no-restart'],
      {
        env: { BMP_MGRCTL: tree.mgrctl },
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`run \`${tree.mgrctl} -m billmgr -R\``);
    expect(mgrctlCalls(tree)).toEqual([]);
  });

  it('fails when the panel restart fails, and says what to run', () => {
    const tree = makeHostTree(scratch);
    const missing = join(scratch, 'no-such-mgrctl');
    const run = cli(['plugin', 'install', '--mgrdir', tree.mgrdir, '--crondir', tree.crondir], {
      env: { BMP_MGRCTL: missing },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `panel: restart FAILED (${missing} not found); run \`${missing} -m billmgr -R\``,
    );
  });

  it('uninstall fails, naming them, when it leaves changed files behind', () => {
    const tree = makeHostTree(scratch);
    const env = { BMP_MGRCTL: tree.mgrctl };
    expect(
      cli(['plugin', 'install', '--mgrdir', tree.mgrdir, '--crondir', tree.crondir], { env }).status,
    ).toBe(0);
    appendFileSync(join(tree.crondir, 'billmgr-reseller-plugin'), '# tuned by the admin\n');
    const elsewhere = cli(['plugin', 'uninstall', '--mgrdir', tree.mgrdir, '--crondir', '/etc/cron.d'], {
      env,
    });
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toContain(
      `install put the cron file at ${join(tree.crondir, 'billmgr-reseller-plugin')}, not in /etc/cron.d`,
    );
    const run = cli(['plugin', 'uninstall', '--mgrdir', tree.mgrdir, '--crondir', tree.crondir], { env });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`LEFT BEHIND, changed since install`);
    expect(run.stdout).toContain(`    ${join(tree.crondir, 'billmgr-reseller-plugin')}\n`);
    expect(existsSync(join(tree.mgrdir, `processing/${MODULE_NAME}`))).toBe(false);
    expect(existsSync(join(tree.mgrdir, INSTALL_RECORD))).toBe(true);
  });

  it('refuses --mgrdir that is not a directory and runs without --mgrdir not at all', () => {
    const missing = cli(['plugin', 'install', '--mgrdir', join(scratch, 'nope'), '--crondir', scratch]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`mgrdir ${join(scratch, 'nope')} is not a directory`);
    const run = cli(['plugin', 'install']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("required option '--mgrdir <dir>' not specified");
  });
});

describe('the release the installed handlers run', () => {
  it('keeps the handlers working after the checkout is deleted, and swaps in a new release on re-install', () => {
    const tree = makeHostTree(scratch);
    const checkout = checkoutCopy(join(scratch, 'checkout'));
    const installFrom = () => install({ mgrdir: tree.mgrdir, crondir: tree.crondir, projectRoot: checkout });
    const first = installFrom();
    expect(first.release.created).toBe(true);
    const releases = join(tree.mgrdir, 'var/billmgr-reseller-plugin/releases');
    const release = join(releases, first.release.id);
    // Compiled code and production dependencies, no dev dependencies.
    expect(existsSync(join(release, 'dist/src/entry/pmbillmgr.js'))).toBe(true);
    expect(existsSync(join(release, 'node_modules/knex/package.json'))).toBe(true);
    expect(existsSync(join(release, 'node_modules/jest'))).toBe(false);
    expect(existsSync(join(release, 'node_modules/typescript'))).toBe(false);

    rmSync(join(checkout, 'dist'), { recursive: true });
    rmSync(join(checkout, 'node_modules'));
    const features = spawnSync(join(tree.mgrdir, `processing/${MODULE_NAME}`), ['--command', 'features'], {
      encoding: 'utf8',
      env: { PATH: '/nonexistent', BMP_LOG: 'stderr' },
    });
    expect(features.stderr).toBe('');
    expect(features.stdout).toContain('<feature name="open"/>');
    expect(features.status).toBe(0);

    // A rebuilt checkout makes a new release; `current` moves to it, the one before stays for running handlers.
    checkoutCopy(join(scratch, 'checkout2'));
    appendFileSync(join(scratch, 'checkout2/dist/src/entry/pmbillmgr.js'), '\n// rebuilt\n');
    const second = install({
      mgrdir: tree.mgrdir,
      crondir: tree.crondir,
      projectRoot: join(scratch, 'checkout2'),
    });
    expect(second.release.id).not.toBe(first.release.id);
    expect(second.updated).toEqual([]);
    expect(readdirSync(releases).sort()).toEqual([first.release.id, second.release.id].sort());
    expect(readlinkSync(join(releases, '../current'))).toBe(`releases/${second.release.id}`);
    appendFileSync(join(scratch, 'checkout2/dist/src/entry/pmbillmgr.js'), '// once more\n');
    const third = install({
      mgrdir: tree.mgrdir,
      crondir: tree.crondir,
      projectRoot: join(scratch, 'checkout2'),
    });
    expect(third.removed).toEqual([`var/billmgr-reseller-plugin/releases/${first.release.id}/`]);
    expect(readdirSync(releases).sort()).toEqual([second.release.id, third.release.id].sort());

    const removal = uninstall({ mgrdir: tree.mgrdir });
    expect(removal.changed).toEqual([]);
    expect(existsSync(join(tree.mgrdir, 'var/billmgr-reseller-plugin'))).toBe(false);
  });

  it('names a release file changed since install and leaves it on uninstall', () => {
    const tree = makeHostTree(scratch);
    const report = install({ mgrdir: tree.mgrdir, crondir: tree.crondir });
    const file = join(report.release.path, 'dist/src/entry/counter.js');
    appendFileSync(file, '// patched on the host\n');
    const removal = uninstall({ mgrdir: tree.mgrdir });
    expect(removal.changed).toEqual([
      `var/billmgr-reseller-plugin/releases/${report.release.id}/dist/src/entry/counter.js`,
    ]);
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a node older than 20', () => {
    const tree = makeHostTree(scratch);
    const oldNode = join(scratch, 'node18');
    put(oldNode, '#!/bin/sh\necho 18.20.4\n', 0o755);
    const before = snapshot(tree.mgrdir);
    expect(() => install({ mgrdir: tree.mgrdir, crondir: tree.crondir, nodePath: oldNode })).toThrow(
      `${oldNode} is node 18.20.4; the plugin needs node 20 or newer`,
    );
    expect(snapshot(tree.mgrdir)).toEqual(before);
  });
});

describe('install() and uninstall() on a small project', () => {
  let root: string;
  let mgrdir: string;
  let crondir: string;
  let fakeNode: string;
  const manifest: PluginManifest = validateManifest({
    name: 'demo-plugin',
    handlers: [
      { name: 'module', source: 'handlers/pmdemo', target: 'processing/{module}' },
      { name: 'tick', source: 'handlers/tick', target: 'addon/tick' },
    ],
    files: [{ source: 'etc/xml/demo.xml', target: 'etc/xml/billmgr_mod_{module}.xml', template: true }],
    release: { target: 'var/demo-plugin', include: ['package.json', 'handlers'] },
    cron: { file: 'demo-plugin', user: 'root', jobs: [{ schedule: '*/5 * * * *', handler: 'tick' }] },
    migrations: { list: 'sql/migrations/index.ts', apply: 'demo migrate' },
  });

  beforeEach(() => {
    root = join(scratch, 'project');
    mgrdir = join(scratch, 'mgr5');
    crondir = join(scratch, 'cron.d');
    put(join(root, 'package.json'), '{ "name": "demo", "version": "1.2.3" }\n');
    put(join(root, 'handlers/pmdemo'), 'echo "pmdemo BMP_MGRDIR=$BMP_MGRDIR $*"\n', 0o755);
    put(join(root, 'handlers/tick'), 'echo tick\n', 0o755);
    put(join(root, 'etc/xml/demo.xml'), '<mgrdata><plugin name="{{module}}"/></mgrdata>\n');
    // A "node" that says it is node 20 and runs the demo handlers, which are shell scripts.
    fakeNode = join(scratch, 'node');
    put(fakeNode, '#!/bin/sh\n[ "$1" = -p ] && { echo 20.0.0; exit 0; }\nexec /bin/sh "$@"\n', 0o755);
    mkdirSync(mgrdir);
    mkdirSync(crondir);
  });

  const installHere = (options: { manifest?: PluginManifest } = {}) =>
    install({ mgrdir, crondir, projectRoot: root, manifest, nodePath: fakeNode, ...options });

  it('writes wrappers that run the release with the host mgrdir, and records every path', () => {
    const report = installHere();
    expect(report.release.id).toMatch(/^1\.2\.3-[0-9a-f]{12}$/);
    expect(report.created).toEqual([
      `processing/${MODULE_NAME}`,
      'addon/tick',
      `etc/xml/billmgr_mod_${MODULE_NAME}.xml`,
      join(crondir, 'demo-plugin'),
    ]);
    expect(statSync(join(mgrdir, 'addon/tick')).mode & 0o777).toBe(0o750);
    const run = spawnSync(join(mgrdir, `processing/${MODULE_NAME}`), ['--command', 'features'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(run.stdout).toBe(`pmdemo BMP_MGRDIR=${mgrdir} --command features\n`);
    const record = JSON.parse(readFileSync(join(mgrdir, INSTALL_RECORD), 'utf8')) as {
      files: { path: string }[];
      directories: string[];
    };
    expect(record.files.map((f) => f.path)).toEqual(report.created);
    expect(record.directories.sort()).toEqual([
      'addon',
      'etc',
      'etc/xml',
      'processing',
      'var',
      'var/demo-plugin',
      'var/demo-plugin/releases',
    ]);
  });

  it('lets an explicit BMP_MGRDIR win over the one written into the wrapper', () => {
    installHere();
    const run = spawnSync(join(mgrdir, `processing/${MODULE_NAME}`), [], {
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
    expect(() => installHere()).toThrow(/not installed by this plugin[\s\S]*\n {2}addon\/tick$/);
    expect(snapshot(mgrdir)).toEqual(before);
  });

  it('leaves other files in shared directories alone, and those directories too', () => {
    put(join(mgrdir, 'etc/xml/billmgr_mod_pmother.xml'), '<mgrdata/>\n');
    installHere();
    put(join(mgrdir, 'processing/pmlater'), 'added after install\n');
    const removal = uninstall({ mgrdir });
    expect(readFileSync(join(mgrdir, 'etc/xml/billmgr_mod_pmother.xml'), 'utf8')).toBe('<mgrdata/>\n');
    expect(readFileSync(join(mgrdir, 'processing/pmlater'), 'utf8')).toBe('added after install\n');
    expect(removal.keptDirectories).toEqual(['processing/']);
    expect(removal.changed).toEqual([]);
    expect(existsSync(join(mgrdir, 'addon'))).toBe(false);
    expect(existsSync(join(mgrdir, 'var'))).toBe(false);
    expect(existsSync(join(mgrdir, INSTALL_RECORD))).toBe(false);
    expect(readdirSync(crondir)).toEqual([]);
  });

  it('rewrites a wrapper an admin edited when install runs again', () => {
    installHere();
    writeFileSync(join(mgrdir, `processing/${MODULE_NAME}`), 'broken\n');
    expect(installHere().updated).toEqual([`processing/${MODULE_NAME}`]);
    expect(readFileSync(join(mgrdir, `processing/${MODULE_NAME}`), 'utf8')).toContain('exec ');
  });

  it('removes a file the manifest no longer lists when install runs again', () => {
    installHere();
    const smaller = { ...manifest, files: [] };
    expect(installHere({ manifest: smaller }).removed).toEqual([`etc/xml/billmgr_mod_${MODULE_NAME}.xml`]);
    expect(existsSync(join(mgrdir, `etc/xml/billmgr_mod_${MODULE_NAME}.xml`))).toBe(false);
  });

  it('reports nothing to do when nothing was installed', () => {
    expect(uninstall({ mgrdir })).toEqual({
      mgrdir,
      wasInstalled: false,
      removed: [],
      changed: [],
      keptDirectories: [],
    });
  });
});

describe('validateManifest', () => {
  it('reports every problem at once', () => {
    const bad = {
      name: '',
      handlers: [
        { name: 'x', source: '/abs/x', target: '../outside' },
        { name: 'y', source: 'handlers/y', target: 'mancgi/y' },
      ],
      files: 'none',
      release: { target: 'var/x', include: [] },
      cron: { file: 'x.cron', user: 'root', jobs: [{ schedule: '* * *', handler: 'z' }] },
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
      'name must be a non-empty name',
      "handlers[0].source must be a relative path without '..', got '/abs/x'",
      "handlers[0].target must be a relative path without '..', got '../outside'",
      "handlers[1].target must be under processing/, addon/, cgi/, got 'mancgi/y'",
      'files must be a list',
      'cron.file must be a file name of letters, digits, - and _',
      'cron.jobs[0].schedule must have five fields',
      'cron.jobs[0].handler must name one of the handlers',
      'migrations must have string fields list and apply',
    ]) {
      expect(message).toContain(problem);
    }
  });
});
