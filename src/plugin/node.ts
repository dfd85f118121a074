/** Which node a path is: the installed wrappers run it, so install checks it before it writes them. */
import { spawnSync } from 'node:child_process';

/** The version (`20.19.5`) of the node at `path`, or undefined when it does not run as node. */
export function nodeVersionOf(path: string): string | undefined {
  const run = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10000 });
  const version = run.status === 0 ? run.stdout.trim() : '';
  return /^\d+\.\d+\.\d+$/.test(version) ? version : undefined;
}

export function isNode20OrNewer(version: string): boolean {
  return Number(version.split('.')[0]) >= 20;
}
