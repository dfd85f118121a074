/**
 * plugin.json: what the plugin installs into a host tree. Read and validated in one place; `{module}` in a
 * target is replaced by MODULE_NAME here, so every install path follows the one setting.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import { MODULE_NAME } from '../module-name';

export interface HandlerEntry {
  /** The name cron jobs refer to. */
  readonly name: string;
  /** Path in this project, e.g. `handlers/pmbillmgr`. */
  readonly source: string;
  /** Path under the host's mgrdir, e.g. `processing/pmbmreseller` or `addon/bmp-signup`. */
  readonly target: string;
}

export interface FileEntry {
  readonly source: string;
  readonly target: string;
  /** Text with `{{module}}` placeholders, written with MODULE_NAME in their place. */
  readonly template?: boolean;
}

export interface CronJob {
  readonly schedule: string;
  readonly handler: string;
  readonly args?: readonly string[];
}

export interface PluginManifest {
  readonly name: string;
  readonly handlers: readonly HandlerEntry[];
  /** Panel XML, logo and other files copied (or rendered) into the host tree. */
  readonly files: readonly FileEntry[];
  /** The self-contained release: `target` under mgrdir, the project paths it is made of. */
  readonly release: { readonly target: string; readonly include: readonly string[] };
  /** `file` is the name of the file written into the system's cron directory. */
  readonly cron: { readonly file: string; readonly user: string; readonly jobs: readonly CronJob[] };
  readonly migrations: { readonly list: string; readonly apply: string };
}

/** Where the host looks for each kind of executable (host contract section 1). */
const HANDLER_PLACES = ['processing/', 'addon/', 'cgi/'];

export class ManifestError extends Error {
  constructor(source: string, problems: readonly string[]) {
    super(`${source} is not a valid plugin manifest:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ManifestError';
  }
}

export function loadManifest(path: string): PluginManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ManifestError(path, [(err as Error).message]);
  }
  return validateManifest(parsed, path);
}

/** Checks every field and reports every problem at once; returns the manifest with `{module}` resolved. */
export function validateManifest(
  value: unknown,
  source = 'plugin.json',
  module = MODULE_NAME,
): PluginManifest {
  const problems: string[] = [];
  const manifest = asRecord(value, 'the manifest', problems);
  if (typeof manifest.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(manifest.name))
    problems.push('name must be a non-empty name of lower-case letters, digits and hyphens');
  const handlers = asArray(manifest.handlers, 'handlers', problems).map((entry, i) => {
    const handler = asRecord(entry, `handlers[${i}]`, problems);
    if (typeof handler.name !== 'string' || handler.name === '')
      problems.push(`handlers[${i}].name must be a string`);
    checkPaths(handler, `handlers[${i}]`, problems);
    const target = typeof handler.target === 'string' ? handler.target : '';
    if (!HANDLER_PLACES.some((place) => target.startsWith(place)))
      problems.push(`handlers[${i}].target must be under ${HANDLER_PLACES.join(', ')}, got '${target}'`);
    return { ...handler, target: resolveModule(target, module) } as HandlerEntry;
  });
  const files = asArray(manifest.files, 'files', problems).map((entry, i) => {
    const file = asRecord(entry, `files[${i}]`, problems);
    checkPaths(file, `files[${i}]`, problems);
    if (file.template !== undefined && typeof file.template !== 'boolean')
      problems.push(`files[${i}].template must be true or false`);
    return { ...file, target: resolveModule(String(file.target), module) } as FileEntry;
  });
  const release = asRecord(manifest.release, 'release', problems);
  checkRelative(release.target, 'release.target', problems);
  asArray(release.include, 'release.include', problems).forEach((path, i) =>
    checkRelative(path, `release.include[${i}]`, problems),
  );
  const cron = asRecord(manifest.cron, 'cron', problems);
  // run-parts (Debian's cron) skips cron.d files whose names have anything but letters, digits, - and _.
  if (typeof cron.file !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cron.file))
    problems.push('cron.file must be a file name of letters, digits, - and _');
  if (typeof cron.user !== 'string' || !/^[a-z_][a-z0-9_-]*$/.test(cron.user))
    problems.push('cron.user must be a user name');
  const handlerNames = new Set(handlers.map((h) => h.name));
  asArray(cron.jobs, 'cron.jobs', problems).forEach((entry, i) => {
    const job = asRecord(entry, `cron.jobs[${i}]`, problems);
    if (typeof job.schedule !== 'string' || job.schedule.trim().split(/\s+/).length !== 5) {
      problems.push(`cron.jobs[${i}].schedule must have five fields`);
    }
    if (typeof job.handler !== 'string' || !handlerNames.has(job.handler)) {
      problems.push(`cron.jobs[${i}].handler must name one of the handlers`);
    }
    if (
      job.args !== undefined &&
      !(
        Array.isArray(job.args) &&
        job.args.every((a) => typeof a === 'string' && /^[A-Za-z0-9=_.-]+$/.test(a))
      )
    ) {
      problems.push(`cron.jobs[${i}].args must be a list of plain words`);
    }
  });
  const migrations = asRecord(manifest.migrations, 'migrations', problems);
  if (typeof migrations.list !== 'string' || typeof migrations.apply !== 'string') {
    problems.push('migrations must have string fields list and apply');
  }
  if (problems.length > 0) throw new ManifestError(source, problems);
  return { ...(value as PluginManifest), handlers, files };
}

function resolveModule(target: string, module: string): string {
  return target.split('{module}').join(module);
}

function asRecord(value: unknown, what: string, problems: string[]): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  problems.push(`${what} must be an object`);
  return {};
}

function asArray(value: unknown, what: string, problems: string[]): unknown[] {
  if (Array.isArray(value)) return value;
  problems.push(`${what} must be a list`);
  return [];
}

function checkPaths(entry: Record<string, unknown>, what: string, problems: string[]): void {
  checkRelative(entry.source, `${what}.source`, problems);
  checkRelative(entry.target, `${what}.target`, problems);
}

/** Sources stay inside the project and targets inside mgrdir: relative, no `..`. */
function checkRelative(value: unknown, what: string, problems: string[]): void {
  if (typeof value !== 'string' || value === '') {
    problems.push(`${what} must be a path`);
  } else if (isAbsolute(value) || normalize(value).split(/[\\/]/).includes('..')) {
    problems.push(`${what} must be a relative path without '..', got '${value}'`);
  }
}
