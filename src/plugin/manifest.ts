/** plugin.json: what the plugin installs into a host tree. Read and validated in one place. */
import { readFileSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';

export interface HandlerEntry {
  /** The name cron jobs refer to. */
  readonly name: string;
  /** Path in this project, e.g. `handlers/pmbillmgr`. */
  readonly source: string;
  /** Path under the host's mgrdir, e.g. `processing/pmbillmgr`. */
  readonly target: string;
}

export interface FileEntry {
  readonly source: string;
  readonly target: string;
}

export interface CronJob {
  readonly schedule: string;
  readonly handler: string;
}

export interface PluginManifest {
  readonly name: string;
  readonly handlers: readonly HandlerEntry[];
  readonly xml: readonly FileEntry[];
  readonly cron: { readonly target: string; readonly user: string; readonly jobs: readonly CronJob[] };
  readonly migrations: { readonly list: string; readonly apply: string };
}

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

/** Checks every field and reports every problem at once. */
export function validateManifest(value: unknown, source = 'plugin.json'): PluginManifest {
  const problems: string[] = [];
  const manifest = asRecord(value, 'the manifest', problems);
  if (typeof manifest.name !== 'string' || manifest.name === '')
    problems.push('name must be a non-empty string');
  const handlers = asArray(manifest.handlers, 'handlers', problems).map((entry, i) => {
    const handler = asRecord(entry, `handlers[${i}]`, problems);
    if (typeof handler.name !== 'string' || handler.name === '')
      problems.push(`handlers[${i}].name must be a string`);
    checkPaths(handler, `handlers[${i}]`, problems);
    return handler;
  });
  asArray(manifest.xml, 'xml', problems).forEach((entry, i) =>
    checkPaths(asRecord(entry, `xml[${i}]`, problems), `xml[${i}]`, problems),
  );
  const cron = asRecord(manifest.cron, 'cron', problems);
  checkRelative(cron.target, 'cron.target', problems);
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
  });
  const migrations = asRecord(manifest.migrations, 'migrations', problems);
  if (typeof migrations.list !== 'string' || typeof migrations.apply !== 'string') {
    problems.push('migrations must have string fields list and apply');
  }
  if (problems.length > 0) throw new ManifestError(source, problems);
  return value as PluginManifest;
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
