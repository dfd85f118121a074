/**
 * A temporary host tree laid out like /usr/local/mgr5, with BILLmanager's own files where the vendor puts them,
 * a system cron directory beside it, an mgrctl that writes down its arguments, and a way to run the CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { projectPath, projectRoot } from '../../src/paths';

/** BILLmanager's built-ins the plugin's names must not collide with (host contract section 1). */
export const VENDOR_FILES: Record<string, { content: string; mode: number }> = {
  'processing/pmbillmgr': { content: '#!/bin/sh\necho vendor pmbillmgr\n', mode: 0o755 },
  'processing/pmmanual': { content: '#!/bin/sh\n', mode: 0o755 },
  'cgi/counter': { content: '#!/bin/sh\necho vendor counter\n', mode: 0o755 },
  'etc/xml/billmgr_mod_pmbillmgr.xml': {
    content: '<mgrdata><plugin name="pmbillmgr"/></mgrdata>\n',
    mode: 0o644,
  },
  'etc/billmgr.conf': { content: 'pre-existing host file\n', mode: 0o644 },
  'var/billmgr.log': { content: 'vendor log\n', mode: 0o644 },
};

export interface HostTree {
  mgrdir: string;
  crondir: string;
  /** The configured mgrctl (BMP_MGRCTL): the host stand-in, behind a script that writes each call to `calls`. */
  mgrctl: string;
  calls: string;
}

export function makeHostTree(scratch: string, { databaseUrl }: { databaseUrl?: string } = {}): HostTree {
  const mgrdir = join(scratch, 'mgr5');
  for (const [path, { content, mode }] of Object.entries(VENDOR_FILES))
    put(join(mgrdir, path), content, mode);
  const crondir = join(scratch, 'cron.d');
  put(join(crondir, 'sysstat'), '5-55/10 * * * * root command -v debian-sa1 > /dev/null && debian-sa1 1 1\n');
  const calls = join(scratch, 'mgrctl-calls.log');
  const mgrctl = join(scratch, 'mgrctl');
  put(
    mgrctl,
    [
      '#!/bin/sh',
      `echo "$*" >> '${calls}'`,
      // The stand-in's paramlist names this host's key, `<mgrdir>/etc/billmgr.pem`.
      `BMP_MGRDIR='${mgrdir}'`,
      'export BMP_MGRDIR',
      ...(databaseUrl ? [`BMP_DATABASE_URL='${databaseUrl}'`, 'export BMP_DATABASE_URL'] : []),
      `exec '${process.execPath}' '${projectPath('bin', 'host-mgrctl')}' "$@"`,
      '',
    ].join('\n'),
    0o755,
  );
  return { mgrdir, crondir, mgrctl, calls };
}

export function mgrctlCalls(tree: HostTree): string[] {
  try {
    return readFileSync(tree.calls, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(
  args: readonly string[],
  { cwd = projectRoot, env = {} }: { cwd?: string; env?: Record<string, string> } = {},
): CliRun {
  const result = spawnSync(process.execPath, [projectPath('bin', 'billmgr-plugin'), ...args], {
    encoding: 'utf8',
    timeout: 60000,
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BMP_LOG: 'stderr', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `cli` without blocking this process: for tests whose sandbox (in this process) the command talks to. */
export function cliAsync(
  args: readonly string[],
  { env = {} }: { env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [projectPath('bin', 'billmgr-plugin'), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BMP_LOG: 'stderr', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * A copy of what a checkout holds after `npm ci && npm run build`, with node_modules a symlink to this one's:
 * deleting its dist/ does to it what a `git pull` without a rebuild does to a live checkout.
 */
export function checkoutCopy(dir: string): string {
  for (const path of [
    'package.json',
    'package-lock.json',
    'plugin.json',
    'handlers',
    'bin',
    'etc',
    'sql',
    'dist/src',
    'dist/sql',
  ]) {
    cpSync(projectPath(path), join(dir, path), { recursive: true });
  }
  symlinkSync(projectPath('node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Every file and directory under `root`, with content hash and mode: two equal snapshots mean nothing changed. */
export function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = prefix ? `${prefix}/${name}` : name;
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) {
        entries[key] = `link ${readlinkSync(path)}`;
      } else if (stat.isDirectory()) {
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

export function put(path: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}
