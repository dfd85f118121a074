/**
 * Installs the plugin into a host tree as plugin.json describes, and removes exactly what it installed.
 *
 * Every file and directory install creates is written down in `<mgrdir>/etc/billmgr-plugin.installed.json`;
 * uninstall works from that record only, so files that were there before are never removed. A file that
 * is in the way is never overwritten without `force`; with `force` it is kept aside and put back on uninstall.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot as defaultProjectRoot } from '../paths';
import { loadManifest, type PluginManifest } from './manifest';

export const INSTALL_RECORD = 'etc/billmgr-plugin.installed.json';
const BACKUP_SUFFIX = '.billmgr-plugin-orig';

export interface InstallOptions {
  mgrdir: string;
  /** Overwrite files that are in the way (they are kept aside and restored by uninstall). */
  force?: boolean;
  projectRoot?: string;
  manifest?: PluginManifest;
  /** The node the installed wrappers run; cron's PATH may not have one. */
  nodePath?: string;
}

export interface InstallReport {
  mgrdir: string;
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Files removed because the manifest no longer lists them. */
  removed: string[];
  /** Pre-existing files kept aside under `<path>.billmgr-plugin-orig` (only with force). */
  keptAside: string[];
  migrations: { list: string; apply: string };
}

export interface UninstallReport {
  mgrdir: string;
  /** False when there was no install record: nothing to do. */
  wasInstalled: boolean;
  removed: string[];
  /** Pre-existing files put back from where install kept them aside. */
  restored: string[];
  /** Files changed since install (or directories no longer empty): left in place. */
  kept: string[];
}

export class PluginInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginInstallError';
  }
}

/** Paths in the record are relative to mgrdir, with forward slashes. */
interface RecordedFile {
  path: string;
  sha256: string;
  keptAside?: string;
}

interface InstallRecord {
  plugin: string;
  project: string;
  files: RecordedFile[];
  directories: string[];
}

interface PlannedFile {
  path: string;
  content: string;
  mode: number;
}

export function install(options: InstallOptions): InstallReport {
  const root = options.projectRoot ?? defaultProjectRoot;
  const manifest = options.manifest ?? loadManifest(join(root, 'plugin.json'));
  const { mgrdir } = options;
  requireSources(manifest, root);
  const planned = planFiles(manifest, { root, mgrdir, nodePath: options.nodePath ?? process.execPath });
  const previous = readRecord(mgrdir);
  const ours = new Map((previous?.files ?? []).map((f) => [f.path, f]));
  const inTheWay = planned
    .filter((f) => !ours.has(f.path) && existsSync(join(mgrdir, f.path)))
    .map((f) => f.path);
  if (inTheWay.length > 0 && !options.force) {
    throw new PluginInstallError(
      `these files already exist in ${mgrdir} and were not installed by this plugin ` +
        `(nothing was changed; use --force to keep them aside and install anyway):\n  ${inTheWay.join('\n  ')}`,
    );
  }

  const report: InstallReport = {
    mgrdir,
    created: [],
    updated: [],
    unchanged: [],
    removed: [],
    keptAside: [],
    migrations: { ...manifest.migrations },
  };
  const directories = [...(previous?.directories ?? [])];
  const files: RecordedFile[] = [];
  for (const file of planned) {
    const target = join(mgrdir, file.path);
    const previously = ours.get(file.path);
    const recorded: RecordedFile = { path: file.path, sha256: sha256(file.content) };
    if (previously?.keptAside) recorded.keptAside = previously.keptAside;
    if (inTheWay.includes(file.path)) {
      recorded.keptAside = file.path + BACKUP_SUFFIX;
      renameSync(target, join(mgrdir, recorded.keptAside));
      report.keptAside.push(file.path);
    }
    if (existsSync(target) && sha256(readFileSync(target)) === recorded.sha256) {
      ensureMode(target, file.mode);
      report.unchanged.push(file.path);
    } else {
      (existsSync(target) ? report.updated : report.created).push(file.path);
      createDirectories(mgrdir, dirname(file.path), directories);
      writeFileSync(target, file.content, { mode: file.mode });
      ensureMode(target, file.mode);
    }
    files.push(recorded);
  }
  for (const stale of previous?.files ?? []) {
    if (planned.some((f) => f.path === stale.path)) continue;
    const outcome = removeFile(mgrdir, stale, false);
    report.removed.push(...outcome.removed);
    if (outcome.kept) files.push(stale);
  }
  createDirectories(mgrdir, dirname(INSTALL_RECORD), directories);
  writeRecord(mgrdir, { plugin: manifest.name, project: root, files, directories });
  return report;
}

export function uninstall({ mgrdir, force = false }: { mgrdir: string; force?: boolean }): UninstallReport {
  const record = readRecord(mgrdir);
  const report: UninstallReport = {
    mgrdir,
    wasInstalled: record !== undefined,
    removed: [],
    restored: [],
    kept: [],
  };
  if (!record) return report;
  const remaining: RecordedFile[] = [];
  for (const file of record.files) {
    const outcome = removeFile(mgrdir, file, force);
    report.removed.push(...outcome.removed);
    report.restored.push(...outcome.restored);
    if (outcome.kept) {
      report.kept.push(file.path);
      remaining.push(file);
    }
  }
  if (remaining.length > 0) {
    // Keep the record of what is left, so a later `uninstall --force` can finish the job.
    writeRecord(mgrdir, { ...record, files: remaining });
  } else {
    unlinkSync(join(mgrdir, INSTALL_RECORD));
    report.removed.push(INSTALL_RECORD);
  }
  const deepestFirst = [...record.directories].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const dir of deepestFirst) {
    const path = join(mgrdir, dir);
    if (!existsSync(path)) continue;
    if (readdirSync(path).length === 0) {
      rmdirSync(path);
      report.removed.push(dir + '/');
    } else {
      report.kept.push(dir + '/');
    }
  }
  return report;
}

function requireSources(manifest: PluginManifest, root: string): void {
  const missing = [...manifest.handlers, ...manifest.xml]
    .map((entry) => entry.source)
    .filter((source) => !existsSync(join(root, source)));
  if (missing.length > 0) {
    throw new PluginInstallError(
      `plugin.json lists files that are missing from ${root} (nothing was installed):\n  ${missing.join('\n  ')}`,
    );
  }
}

function planFiles(
  manifest: PluginManifest,
  { root, mgrdir, nodePath }: { root: string; mgrdir: string; nodePath: string },
): PlannedFile[] {
  const handlers: PlannedFile[] = manifest.handlers.map((handler) => ({
    path: handler.target,
    content: handlerWrapper(handler.name, join(root, handler.source), mgrdir, nodePath),
    mode: 0o755,
  }));
  const xml: PlannedFile[] = manifest.xml.map((entry) => ({
    path: entry.target,
    content: readFileSync(join(root, entry.source), 'utf8'),
    mode: 0o644,
  }));
  return [
    ...handlers,
    ...xml,
    { path: manifest.cron.target, content: cronFile(manifest, mgrdir), mode: 0o644 },
  ];
}

/** An installed handler is a small shell script that runs this project's handler with the host's mgrdir. */
export function handlerWrapper(name: string, handlerPath: string, mgrdir: string, nodePath: string): string {
  return [
    '#!/bin/sh',
    `# billmgr-plugin handler '${name}': written by \`billmgr-plugin plugin install\`, removed by \`plugin uninstall\`.`,
    `: "\${BMP_MGRDIR:=${shellQuoteInDoubleQuotes(mgrdir)}}"`,
    'export BMP_MGRDIR',
    `exec ${shellQuote(nodePath)} ${shellQuote(handlerPath)} "$@"`,
    '',
  ].join('\n');
}

/** A cron.d file (with the user field) that runs the installed handlers. */
export function cronFile(manifest: PluginManifest, mgrdir: string): string {
  const lines = manifest.cron.jobs.map((job) => {
    const handler = manifest.handlers.find((h) => h.name === job.handler);
    if (!handler) throw new PluginInstallError(`cron job names an unknown handler '${job.handler}'`);
    return `${job.schedule} ${manifest.cron.user} ${shellQuote(join(mgrdir, handler.target))}`;
  });
  return [
    '# billmgr-plugin cron jobs: written by `billmgr-plugin plugin install`, removed by `plugin uninstall`.',
    ...lines,
    '',
  ].join('\n');
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function shellQuoteInDoubleQuotes(text: string): string {
  return text.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function ensureMode(path: string, mode: number): void {
  chmodSync(path, mode);
}

/** Creates each missing directory of `relativeDir` one level at a time, recording the ones it made. */
function createDirectories(mgrdir: string, relativeDir: string, created: string[]): void {
  if (relativeDir === '.' || relativeDir === '') return;
  let current = '';
  for (const part of relativeDir.split(/[\\/]/)) {
    current = current ? `${current}/${part}` : part;
    const path = join(mgrdir, current);
    if (existsSync(path)) continue;
    mkdirSync(path);
    if (!created.includes(current)) created.push(current);
  }
}

/** Removes one installed file unless it changed since install (then it is kept, unless forced). */
function removeFile(
  mgrdir: string,
  file: RecordedFile,
  force: boolean,
): { removed: string[]; restored: string[]; kept: boolean } {
  const path = join(mgrdir, file.path);
  const outcome = { removed: [] as string[], restored: [] as string[], kept: false };
  if (existsSync(path)) {
    if (!force && sha256(readFileSync(path)) !== file.sha256) return { ...outcome, kept: true };
    unlinkSync(path);
    outcome.removed.push(file.path);
  }
  if (file.keptAside && existsSync(join(mgrdir, file.keptAside))) {
    renameSync(join(mgrdir, file.keptAside), path);
    outcome.restored.push(file.path);
  }
  return outcome;
}

function readRecord(mgrdir: string): InstallRecord | undefined {
  const path = join(mgrdir, INSTALL_RECORD);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as InstallRecord;
    if (!Array.isArray(record.files) || !Array.isArray(record.directories))
      throw new Error('files or directories missing');
    return record;
  } catch (err) {
    throw new PluginInstallError(`install record ${path} is unreadable: ${(err as Error).message}`);
  }
}

/** Writes the record only when it changed, so a repeated install leaves the tree byte for byte the same. */
function writeRecord(mgrdir: string, record: InstallRecord): void {
  const path = join(mgrdir, INSTALL_RECORD);
  const text = JSON.stringify(record, null, 2) + '\n';
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text, { mode: 0o644 });
}
