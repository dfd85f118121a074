/** The real handlers/pmbillmgr process against host contract section 2: argv in, one XML document out, exit code. */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asList, parseXml, textOf, type XmlNode } from '../../src/contract/xml';
import { projectPath } from '../../src/paths';

const HANDLER = projectPath('handlers', 'pmbillmgr');
let mgrdir: string;
/** A directory beside mgrdir for the fake mgrctl and what it records, so mgrdir itself shows any log file. */
let host: string;

beforeAll(() => {
  mgrdir = mkdtempSync(join(tmpdir(), 'contract-e2e-'));
  host = mkdtempSync(join(tmpdir(), 'contract-e2e-host-'));
  // A core that records each callback, one line of argv per call, and answers ok.
  writeFileSync(
    join(host, 'mgrctl'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${host}/calls'\necho '<doc><ok/></doc>'\n`,
  );
  chmodSync(join(host, 'mgrctl'), 0o755);
});

afterAll(() => {
  rmSync(mgrdir, { recursive: true, force: true });
  rmSync(host, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the handler as the host does: an executable with argv, nothing on stdin. */
function pmbillmgr(...argv: string[]): Run {
  return pmbillmgrWith({}, ...argv);
}

function pmbillmgrWith(env: Record<string, string>, ...argv: string[]): Run {
  const result = spawnSync(HANDLER, argv, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      BMP_MGRDIR: mgrdir,
      BMP_CONFIG: join(mgrdir, 'absent.json'),
      BMP_LOG: 'stderr',
      BMP_MGRCTL: join(host, 'mgrctl'),
      // An empty database: whatever a command tries there fails, after its command line was accepted.
      BMP_DATABASE_URL: `sqlite:${join(host, 'empty.sqlite')}`,
      ...env,
    },
    timeout: 30000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** stdout must be exactly one `<doc>` document: nothing before it, nothing after it. */
async function onlyDocument(stdout: string): Promise<XmlNode> {
  expect(stdout.startsWith('<doc')).toBe(true);
  expect(stdout.trimEnd().endsWith('</doc>') || /^<doc[^>]*\/>$/.test(stdout.trim())).toBe(true);
  expect(stdout.indexOf('<doc', 1)).toBe(-1);
  return parseXml(stdout, 'pmbillmgr');
}

async function errorOfRun(run: Run): Promise<{ type?: string; object?: string; msg?: string }> {
  expect(run.status).toBe(1);
  const doc = await onlyDocument(run.stdout);
  const error = doc.error as XmlNode;
  expect(error).toBeDefined();
  return { type: error.$?.type, object: error.$?.object, msg: textOf(error.msg) };
}

describe('handlers/pmbillmgr as a process', () => {
  it('answers --command features with the item types, params and features, and exit 0', async () => {
    const run = pmbillmgr('--command', 'features');
    expect(run.status).toBe(0);
    const doc = await onlyDocument(run.stdout);
    const itemtypes = asList((doc.itemtypes as XmlNode).itemtype as XmlNode | XmlNode[]).map(
      (t) => t.$?.name,
    );
    expect(itemtypes).toEqual(['vds', 'dedic', 'vhost', 'soft', 'certificate']);
    const params = asList((doc.params as XmlNode).param as XmlNode | XmlNode[]).map((p) => p.$);
    expect(params).toEqual(
      expect.arrayContaining([{ name: 'url' }, { name: 'username' }, { name: 'password', crypted: 'yes' }]),
    );
    expect(doc).toHaveProperty('features');
  });

  it('prints usage on --help and exits 0, whatever else is on the line', () => {
    for (const argv of [['--help'], ['-h'], ['--command', 'nonsense', '--help']]) {
      const run = pmbillmgr(...argv);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^pmbillmgr: /);
      expect(run.stdout).toContain('--command COMMAND');
      expect(run.stdout).toContain('--runningoperation N');
    }
  });

  it('answers an unknown command with an error document and exit 1', async () => {
    expect(await errorOfRun(pmbillmgr('--command', 'explode'))).toEqual({
      type: 'value',
      object: 'command',
      msg: "unknown command 'explode'",
    });
  });

  it('answers a missing --command with an error document and exit 1', async () => {
    expect(await errorOfRun(pmbillmgr('--item', '3'))).toMatchObject({
      object: 'command',
      msg: '--command is required',
    });
  });

  it('answers an item command without --item with an error document naming --item, and exit 1', async () => {
    expect(await errorOfRun(pmbillmgr('--command', 'open'))).toEqual({
      type: 'value',
      object: 'item',
      msg: '--item is required for --command open',
    });
    expect(await errorOfRun(pmbillmgr('--command', 'import', '--itemtype', 'vds'))).toMatchObject({
      object: 'module',
    });
  });

  it('accepts every command it lists as a feature', async () => {
    const doc = await onlyDocument(pmbillmgr('--command', 'features').stdout);
    const features = asList((doc.features as XmlNode).feature as XmlNode | XmlNode[]).map(
      (f) => f.$?.name ?? '',
    );
    expect(features).toEqual(expect.arrayContaining(['open', 'suspend', 'resume', 'close']));
    for (const command of features) {
      const run = pmbillmgr('--command', command);
      if (run.status !== 0) expect((await errorOfRun(run)).object).not.toBe('command');
    }
  });

  it('saves the error document on --runningoperation through mgrctl', async () => {
    rmSync(join(host, 'calls'), { force: true });
    const run = pmbillmgr('--command', 'open', '--item', '999', '--runningoperation', '5');
    const error = await errorOfRun(run);
    expect(error.type).toBe('internal');
    expect(existsSync(join(host, 'calls'))).toBe(true);
    const calls = readFileSync(join(host, 'calls'), 'utf8');
    expect(calls).toBe(
      `-m billmgr -o xml runningoperation.edit elid=5 errorxml=${run.stdout.trim()} sok=ok\n`,
    );
  });

  it('ignores options it does not know, as the core may pass them: features still answers', async () => {
    const run = pmbillmgrWith(
      { BMP_LOG: 'stderr', BMP_LOG_LEVEL: 'debug' },
      '--command',
      'features',
      '--userid',
      '5',
      '--password',
      'core-secret',
    );
    expect(run.status).toBe(0);
    const doc = await parseXml(run.stdout, 'features');
    expect(doc.features).toBeDefined();
    expect(run.stderr).toContain('ignored options the handler does not know: --userid, --password');
    expect(run.stderr).not.toContain('core-secret');
  });

  it('answers a bad number with an error document and exit 1', async () => {
    const error = await errorOfRun(pmbillmgr('--command', 'features', '--runningoperation', 'soon'));
    expect(error).toMatchObject({ type: 'value', object: 'runningoperation' });
  });

  it("logs to <mgrdir>/var/bmp-pmbillmgr.log (not the vendor module's var/pmbillmgr.log), never to stdout, and not at all for features", async () => {
    const logged = pmbillmgrWith({ BMP_LOG: 'file' }, '--command', 'features');
    expect(logged.status).toBe(0);
    expect(readdirSync(mgrdir)).toEqual([]);

    const failed = pmbillmgrWith({ BMP_LOG: 'file' }, '--command', 'open', '--item', '999');
    await errorOfRun(failed);
    expect(failed.stderr).toBe('');
    expect(readdirSync(join(mgrdir, 'var'))).toEqual(['bmp-pmbillmgr.log']);
    const log = readFileSync(join(mgrdir, 'var', 'bmp-pmbillmgr.log'), 'utf8');
    expect(log).toMatch(/"command":"open"/);
    expect(log).toMatch(/"item":999/);
  });
});
