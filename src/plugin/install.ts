/**
 * Installs the plugin into a host tree as plugin.json describes, and removes exactly what it installed.
 *
 * What goes where (host contract section 1): wrappers into `processing/`, `addon/` and `cgi/`, the panel XML into
 * `etc/xml/`, the logo into `skins/common/plugin-logo/`, the cron file into the system's cron directory (not under
 * mgrdir: no cron daemon reads there), and a self-contained release (compiled code and production dependencies)
 * into `<mgrdir>/<release.target>/releases/<id>`, reached through the `current` symlink the wrappers run. The
 * checkout can then be rebuilt, pulled or deleted without touching what the host runs.
 *
 * Every file and directory install creates is written down in `<mgrdir>/etc/billmgr-reseller-plugin.installed.json`;
 * uninstall works from that record only. A file install did not create is never overwritten or removed: install
 * refuses and names it, and there is no option that changes that.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { MODULE_NAME } from '../module-name';
import { projectRoot as defaultProjectRoot } from '../paths';
import { PluginInstallError } from './install-error';
import { loadManifest, type PluginManifest } from './manifest';
import { nodeVersionOf } from './node';
import { collectRelease, RELEASE_MANIFEST, releaseId, type ReleaseFile } from './release';

export { PluginInstallError };

export const INSTALL_RECORD = 'etc/billmgr-reseller-plugin.installed.json';
export const DEFAULT_CRONDIR = '/etc/cron.d';
/** Releases kept: the current one and the one before (a handler started just before the swap finishes on it). */
const RELEASES_KEPT = 2;

export interface InstallOptions {
  /** The host's install root (`/usr/local/mgr5`); relative paths are resolved against the working directory. */
  mgrdir: string;
  /** The system's cron directory, read by the cron daemon; default /etc/cron.d. */
  crondir?: string;
  projectRoot?: string;
  manifest?: PluginManifest;
  /** The node the installed wrappers run (cron's PATH may not have one); default the node running install. */
  nodePath?: string;
}

export interface InstallReport {
  mgrdir: string;
  crondir: string;
  module: string;
  node: { path: string; version: string };
  release: { id: string; path: string; created: boolean };
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Files and releases removed because they are no longer listed or no longer kept. */
  removed: string[];
  migrations: { list: string; apply: string };
}

export interface UninstallReport {
  mgrdir: string;
  /** False when there was no install record: nothing to do. */
  wasInstalled: boolean;
  removed: string[];
  /** Files changed since install: left in place (uninstall then fails, naming them). */
  changed: string[];
  /** Directories install created that still hold files it did not put there: left in place. */
  keptDirectories: string[];
}

/** A path in the record: relative to mgrdir (forward slashes) when inside it, else absolute (the cron file). */
interface RecordedFile {
  path: string;
  sha256: string;
}

export interface InstallRecord {
  plugin: string;
  module: string;
  files: RecordedFile[];
  directories: string[];
  /** The release folder (relative to mgrdir) and the ids of the releases in it, the current one last. */
  release: { root: string; ids: string[] };
}

interface PlannedFile {
  path: string;
  content: Buffer;
  mode: number;
}

export function install(options: InstallOptions): InstallReport {
  const root = options.projectRoot ?? defaultProjectRoot;
  const manifest = options.manifest ?? loadManifest(join(root, 'plugin.json'));
  const mgrdir = resolve(options.mgrdir);
  const crondir = resolve(options.crondir ?? DEFAULT_CRONDIR);
  const nodePath = resolve(options.nodePath ?? process.execPath);
  requireDirectory(mgrdir, 'mgrdir');
  requireDirectory(crondir, 'the cron directory (--crondir)');
  requireSources(manifest, root);
  const node = { path: nodePath, version: requireNode20(nodePath) };
  const releaseFiles = collectRelease(root, manifest);
  const id = releaseId(root, releaseFiles);
  const releaseRoot = manifest.release.target;
  const planned = planFiles(manifest, { root, mgrdir, crondir, nodePath });

  const previous = readRecord(mgrdir);
  const ours = new Set((previous?.files ?? []).map((f) => f.path));
  const inTheWay = planned.filter((f) => !ours.has(f.path) && existsAt(mgrdir, f.path)).map((f) => f.path);
  if (!previous && existsAt(mgrdir, releaseRoot)) inTheWay.push(releaseRoot + '/');
  if (inTheWay.length > 0) {
    throw new PluginInstallError(
      `these files already exist and were not installed by this plugin; nothing was changed ` +
        `(they may be BILLmanager's own: install never overwrites them):\n  ${inTheWay.join('\n  ')}`,
    );
  }

  const report: InstallReport = {
    mgrdir,
    crondir,
    module: MODULE_NAME,
    node,
    release: { id, path: join(mgrdir, releaseRoot, 'releases', id), created: false },
    created: [],
    updated: [],
    unchanged: [],
    removed: [],
    migrations: { ...manifest.migrations },
  };
  const directories = [...(previous?.directories ?? [])];
  createDirectories(mgrdir, join(releaseRoot, 'releases'), directories);
  report.release.created = placeRelease(join(mgrdir, releaseRoot), id, releaseFiles);
  switchCurrent(join(mgrdir, releaseRoot), id);
  const ids = [...(previous?.release.ids ?? []).filter((old) => old !== id), id];
  while (ids.length > RELEASES_KEPT) {
    const old = ids.shift() as string;
    if (removeRelease(join(mgrdir, releaseRoot), old).changed.length > 0) {
      // An admin changed a file in it: it stays, recorded, until uninstall lists it.
      ids.unshift(old);
      break;
    }
    report.removed.push(`${releaseRoot}/releases/${old}/`);
  }

  const files: RecordedFile[] = [];
  for (const file of planned) {
    const target = at(mgrdir, file.path);
    const recorded: RecordedFile = { path: file.path, sha256: sha256(file.content) };
    if (existsSync(target) && sha256(readFileSync(target)) === recorded.sha256) {
      chmodSync(target, file.mode);
      report.unchanged.push(file.path);
    } else {
      (existsSync(target) ? report.updated : report.created).push(file.path);
      if (!isAbsolute(file.path)) createDirectories(mgrdir, posix.dirname(file.path), directories);
      writeAtomically(target, file.content, file.mode);
    }
    files.push(recorded);
  }
  for (const stale of previous?.files ?? []) {
    if (planned.some((f) => f.path === stale.path)) continue;
    if (removeFile(mgrdir, stale)) report.removed.push(stale.path);
    else files.push(stale);
  }
  createDirectories(mgrdir, posix.dirname(INSTALL_RECORD), directories);
  writeRecord(mgrdir, {
    plugin: manifest.name,
    module: MODULE_NAME,
    files,
    directories,
    release: { root: releaseRoot, ids },
  });
  return report;
}

export function uninstall({ mgrdir: given, crondir }: { mgrdir: string; crondir?: string }): UninstallReport {
  const mgrdir = resolve(given);
  const record = readRecord(mgrdir);
  const cronFile = record?.files.find((file) => isAbsolute(file.path))?.path;
  if (crondir !== undefined && cronFile !== undefined && dirname(cronFile) !== resolve(crondir)) {
    throw new PluginInstallError(
      `install put the cron file at ${cronFile}, not in ${resolve(crondir)} (nothing was removed; leave out --crondir)`,
    );
  }
  const report: UninstallReport = {
    mgrdir,
    wasInstalled: record !== undefined,
    removed: [],
    changed: [],
    keptDirectories: [],
  };
  if (!record) return report;
  const remaining: RecordedFile[] = [];
  for (const file of record.files) {
    if (removeFile(mgrdir, file)) report.removed.push(file.path);
    else {
      report.changed.push(file.path);
      remaining.push(file);
    }
  }
  const releaseRoot = join(mgrdir, record.release.root);
  const current = join(releaseRoot, 'current');
  if (isSymlink(current)) {
    unlinkSync(current);
    report.removed.push(`${record.release.root}/current`);
  }
  const ids: string[] = [];
  for (const id of record.release.ids) {
    const outcome = removeRelease(releaseRoot, id);
    if (outcome.changed.length === 0) report.removed.push(`${record.release.root}/releases/${id}/`);
    else {
      report.changed.push(...outcome.changed.map((path) => `${record.release.root}/releases/${id}/${path}`));
      ids.push(id);
    }
  }
  if (remaining.length > 0 || ids.length > 0) {
    // Keep the record of what is left, so that the admin can look and run uninstall again.
    writeRecord(mgrdir, { ...record, files: remaining, release: { ...record.release, ids } });
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
      report.keptDirectories.push(dir + '/');
    }
  }
  return report;
}

/** The record install left in `mgrdir`, or undefined when the plugin is not installed there. */
export function readRecord(mgrdir: string): InstallRecord | undefined {
  const path = join(mgrdir, INSTALL_RECORD);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as InstallRecord;
    if (!Array.isArray(record.files) || !Array.isArray(record.directories) || !record.release)
      throw new Error('files, directories or release missing');
    return record;
  } catch (err) {
    throw new PluginInstallError(`install record ${path} is unreadable: ${(err as Error).message}`);
  }
}

/** Installed files (and the current release's files) that differ from what install wrote: [] when intact. */
export function changedInstalledFiles(mgrdir: string, record: InstallRecord): string[] {
  const changed = record.files
    .filter(
      (file) => !existsAt(mgrdir, file.path) || sha256(readFileSync(at(mgrdir, file.path))) !== file.sha256,
    )
    .map((file) => file.path);
  const id = record.release.ids[record.release.ids.length - 1];
  if (id === undefined) return [...changed, `${record.release.root}/releases/`];
  const releaseRoot = join(mgrdir, record.release.root);
  const current = join(releaseRoot, 'current');
  if (!isSymlink(current) || readlinkSync(current) !== join('releases', id))
    changed.push(`${record.release.root}/current`);
  const problems = releaseProblems(join(releaseRoot, 'releases', id));
  return [...changed, ...problems.map((path) => `${record.release.root}/releases/${id}/${path}`)];
}

function requireDirectory(path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new PluginInstallError(`${what} ${path} is not a directory (nothing was installed)`);
}

function requireSources(manifest: PluginManifest, root: string): void {
  const missing = [...manifest.handlers, ...manifest.files]
    .map((entry) => entry.source)
    .filter((source) => !existsSync(join(root, source)));
  if (missing.length > 0) {
    throw new PluginInstallError(
      `plugin.json lists files that are missing from ${root} (nothing was installed):\n  ${missing.join('\n  ')}`,
    );
  }
}

function requireNode20(nodePath: string): string {
  const version = nodeVersionOf(nodePath);
  if (version === undefined)
    throw new PluginInstallError(
      `${nodePath} does not run as node (nothing was installed; give --node PATH)`,
    );
  if (Number(version.split('.')[0]) < 20)
    throw new PluginInstallError(
      `${nodePath} is node ${version}; the plugin needs node 20 or newer (nothing was installed)`,
    );
  return version;
}

function planFiles(
  manifest: PluginManifest,
  { root, mgrdir, crondir, nodePath }: { root: string; mgrdir: string; crondir: string; nodePath: string },
): PlannedFile[] {
  const current = join(mgrdir, manifest.release.target, 'current');
  const handlers: PlannedFile[] = manifest.handlers.map((handler) => ({
    path: handler.target,
    content: Buffer.from(
      handlerWrapper(manifest.name, handler.name, join(current, handler.source), mgrdir, nodePath),
    ),
    mode: handler.target.startsWith('addon/') ? 0o750 : 0o755,
  }));
  const files: PlannedFile[] = manifest.files.map((entry) => {
    const source = readFileSync(join(root, entry.source));
    return {
      path: entry.target,
      content: entry.template ? Buffer.from(renderTemplate(source.toString('utf8'))) : source,
      mode: 0o644,
    };
  });
  return [
    ...handlers,
    ...files,
    {
      path: join(crondir, manifest.cron.file),
      content: Buffer.from(cronFile(manifest, mgrdir)),
      mode: 0o644,
    },
  ];
}

/** The panel XML as installed: every `{{module}}` of the template replaced by MODULE_NAME. */
export function renderTemplate(text: string, module = MODULE_NAME): string {
  return text.split('{{module}}').join(module);
}

/** An installed handler is a small shell script that runs the installed release's handler with the host's mgrdir. */
export function handlerWrapper(
  plugin: string,
  name: string,
  handlerPath: string,
  mgrdir: string,
  nodePath: string,
): string {
  return [
    '#!/bin/sh',
    `# ${plugin} handler '${name}': written by \`billmgr-plugin plugin install\`, removed by \`plugin uninstall\`.`,
    `: "\${BMP_MGRDIR:=${shellQuoteInDoubleQuotes(mgrdir)}}"`,
    'export BMP_MGRDIR',
    `exec ${shellQuote(nodePath)} ${shellQuote(handlerPath)} "$@"`,
    '',
  ].join('\n');
}

/** A cron.d file (with the user field) that runs the installed handlers, in the server's local time. */
export function cronFile(manifest: PluginManifest, mgrdir: string): string {
  const lines = manifest.cron.jobs.map((job) => {
    const handler = manifest.handlers.find((h) => h.name === job.handler);
    if (!handler) throw new PluginInstallError(`cron job names an unknown handler '${job.handler}'`);
    const command = [shellQuote(join(mgrdir, handler.target)), ...(job.args ?? [])].join(' ');
    return `${job.schedule} ${manifest.cron.user} ${command}`;
  });
  return [
    `# ${manifest.name} cron jobs: written by \`billmgr-plugin plugin install\`, removed by \`plugin uninstall\`.`,
    "# Times are the server's local time. The jobs print nothing when all went well, so cron mails only problems.",
    ...lines,
    '',
  ].join('\n');
}

/** Copies the release into `releases/<id>` unless it is there intact; true when it was copied. */
function placeRelease(releaseRoot: string, id: string, files: readonly ReleaseFile[]): boolean {
  const dir = join(releaseRoot, 'releases', id);
  if (existsSync(dir) && releaseProblems(dir).length === 0) return false;
  const partial = join(releaseRoot, 'releases', `.${id}.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  for (const file of files) {
    const target = join(partial, file.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file.source, target);
    chmodSync(target, file.mode);
  }
  const listing = Object.fromEntries(files.map((file) => [file.path, file.sha256]));
  writeFileSync(join(partial, RELEASE_MANIFEST), JSON.stringify({ id, files: listing }, null, 2) + '\n');
  // Only install writes under releases/: a release there that is not intact is one of ours, damaged.
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return true;
}

/** Points `current` at `releases/<id>`: a new symlink renamed over the old one, so a handler sees one or the other. */
function switchCurrent(releaseRoot: string, id: string): void {
  const current = join(releaseRoot, 'current');
  const wanted = join('releases', id);
  if (isSymlink(current) && readlinkSync(current) === wanted) return;
  const next = join(releaseRoot, `.current.${process.pid}`);
  rmSync(next, { force: true });
  symlinkSync(wanted, next);
  renameSync(next, current);
}

/** The files of a release that are missing or differ from its listing (the listing itself included). */
function releaseProblems(dir: string): string[] {
  const listing = readReleaseListing(dir);
  if (!listing) return [RELEASE_MANIFEST];
  return Object.entries(listing)
    .filter(([path, hash]) => {
      const file = join(dir, path);
      return !existsSync(file) || sha256(readFileSync(file)) !== hash;
    })
    .map(([path]) => path);
}

function readReleaseListing(dir: string): Record<string, string> | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, RELEASE_MANIFEST), 'utf8')) as {
      files?: Record<string, string>;
    };
    return parsed.files;
  } catch {
    return undefined;
  }
}

/** Removes a release's listed files that are unchanged, then its empty folders; returns the changed ones. */
function removeRelease(releaseRoot: string, id: string): { changed: string[] } {
  const dir = join(releaseRoot, 'releases', id);
  if (!existsSync(dir)) return { changed: [] };
  const listing = readReleaseListing(dir) ?? {};
  const changed: string[] = [];
  for (const [path, hash] of Object.entries(listing)) {
    const file = join(dir, path);
    if (!existsSync(file)) continue;
    if (sha256(readFileSync(file)) === hash) unlinkSync(file);
    else changed.push(path);
  }
  const extra = removeEmptyFolders(dir, dir, new Set([...Object.keys(listing), RELEASE_MANIFEST]));
  changed.push(...extra);
  if (changed.length === 0) {
    rmSync(join(dir, RELEASE_MANIFEST), { force: true });
    rmdirSync(dir);
  }
  return { changed };
}

/** Removes empty folders under `dir`, deepest first; returns files found that the listing does not know. */
function removeEmptyFolders(top: string, dir: string, known: ReadonlySet<string>): string[] {
  const unknown: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(top, path).split('\\').join('/');
    if (lstatSync(path).isDirectory()) {
      unknown.push(...removeEmptyFolders(top, path, known));
      if (readdirSync(path).length === 0) rmdirSync(path);
    } else if (!known.has(rel)) unknown.push(rel);
  }
  return unknown;
}

function at(mgrdir: string, path: string): string {
  return isAbsolute(path) ? path : join(mgrdir, path);
}

function existsAt(mgrdir: string, path: string): boolean {
  const target = at(mgrdir, path);
  return existsSync(target) || isSymlink(target);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function shellQuoteInDoubleQuotes(text: string): string {
  return text.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Writes beside the target and renames over it: a running cron or panel never reads half a file. */
function writeAtomically(target: string, content: Buffer, mode: number): void {
  const next = `${target}.${process.pid}.new`;
  writeFileSync(next, content, { mode });
  chmodSync(next, mode);
  renameSync(next, target);
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

/** Removes one installed file unless it changed since install; false when it was kept. */
function removeFile(mgrdir: string, file: RecordedFile): boolean {
  const path = at(mgrdir, file.path);
  if (!existsSync(path)) return true;
  if (sha256(readFileSync(path)) !== file.sha256) return false;
  unlinkSync(path);
  return true;
}

/** Writes the record only when it changed, so a repeated install leaves the tree byte for byte the same. */
function writeRecord(mgrdir: string, record: InstallRecord): void {
  const path = join(mgrdir, INSTALL_RECORD);
  const text = JSON.stringify(record, null, 2) + '\n';
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text, { mode: 0o644 });
}
