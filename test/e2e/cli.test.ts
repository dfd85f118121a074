/** bin/billmgr-plugin as a person runs it: help, bad arguments, --json, and the sandbox command. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../src/paths';

const BIN = projectPath('bin', 'billmgr-plugin');
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cli-e2e-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(BIN, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, BMP_CONFIG: join(scratch, 'absent.json'), BMP_MGRDIR: scratch },
    timeout: 30000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('billmgr-plugin', () => {
  it('lists its commands and the global --json on --help', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: billmgr-plugin \[options\] \[command\]/);
    for (const command of ['migrate', 'sandbox', 'plugin'])
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(run.stdout).toContain('--json');
  });

  it('describes each subcommand with --help', () => {
    expect(cli('migrate', '--help').stdout).toContain('--host-fixture');
    expect(cli('sandbox', '--help').stdout).toContain('--auto-activate');
    expect(cli('plugin', 'install', '--help').stdout).toContain('--mgrdir <dir>');
  });

  it.each([
    [['explode'], "error: unknown command 'explode'"],
    [['migrate', '--colour'], "error: unknown option '--colour'"],
    [['migrate', 'extra'], 'error: too many arguments'],
    [['sandbox', '--port', 'eighty'], "'eighty' is not a whole number"],
    [['plugin', 'uninstall'], "error: required option '--mgrdir <dir>' not specified"],
  ])('refuses %j with a clear error on stderr and exit 1', (args, message) => {
    const run = cli(...args);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  it('exits 1 with help on stderr when no command is given', () => {
    const run = cli();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Usage: billmgr-plugin');
  });

  it('prints readable lines, or one JSON document with --json before or after the command', () => {
    const empty = join(scratch, 'empty-mgr');
    expect(cli('plugin', 'uninstall', '--mgrdir', empty).stdout).toBe(
      `nothing to uninstall: ${empty} has no billmgr-plugin install record\n`,
    );
    for (const args of [
      ['--json', 'plugin', 'uninstall', '--mgrdir', empty],
      ['plugin', 'uninstall', '--mgrdir', empty, '--json'],
    ]) {
      const run = cli(...args);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        mgrdir: empty,
        wasInstalled: false,
        removed: [],
        changed: [],
        keptDirectories: [],
        restart: { ok: true, line: 'panel: nothing to restart' },
      });
    }
  });

  it('reports a failing command as JSON on stdout with --json, and exit 1', () => {
    const run = cli('--json', 'migrate');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ error: 'mgrctl paramlist failed: not found', problems: [] });
  });

  it('runs the sandbox until interrupted, saying where it listens', async () => {
    const child = spawn(BIN, ['sandbox', '--json'], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
        });
        child.on('exit', () => reject(new Error(`sandbox exited early: ${out}`)));
      });
      const started = JSON.parse(firstLine) as {
        url: string;
        accounts: { username: string; password: string }[];
      };
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/billmgr$/);
      const account = started.accounts[0];
      expect(account).toBeDefined();
      const query = new URLSearchParams({
        func: 'whoami',
        out: 'xml',
        authinfo: `${account?.username}:${account?.password}`,
      });
      const answer = await fetch(`${started.url}?${query.toString()}`);
      expect(await answer.text()).toContain(`<name>${account?.username}</name>`);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
