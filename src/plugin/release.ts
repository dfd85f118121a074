/**
 * The files of a release: the project paths plugin.json lists (compiled code, handlers, XML) and the production
 * dependencies, found from package-lock.json (entries without `dev: true`) and copied from the local node_modules,
 * so that making a release needs no network. Each file is hashed once; the release id names its content.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginManifest } from './manifest';
import { PluginInstallError } from './install-error';

/** Written into every release: its id and the hash of each of its files (what uninstall and doctor check). */
export const RELEASE_MANIFEST = 'release.json';

export interface ReleaseFile {
  /** Path inside the release, forward slashes. */
  path: string;
  /** Where it is copied from. */
  source: string;
  mode: number;
  sha256: string;
}

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  link?: boolean;
}

export function collectRelease(root: string, manifest: PluginManifest): ReleaseFile[] {
  const missing = manifest.release.include.filter((path) => !existsSync(join(root, path)));
  if (missing.length > 0) {
    throw new PluginInstallError(
      `the release is made of paths missing from ${root} (run \`npm run build\` first; nothing was installed):\n  ${missing.join('\n  ')}`,
    );
  }
  const files = manifest.release.include.flatMap((path) => filesUnder(root, path, () => true));
  for (const dir of productionPackages(root)) {
    const native = existsSync(join(root, dir, 'binding.gyp'));
    files.push(...filesUnder(root, dir, (rel) => keepInPackage(rel.slice(dir.length + 1), native)));
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `<version>-<first 12 hex of the content hash>`: the same content makes the same id. */
export function releaseId(root: string, files: readonly ReleaseFile[]): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${file.mode.toString(8)}\0${file.sha256}\n`);
  return `${version ?? '0.0.0'}-${hash.digest('hex').slice(0, 12)}`;
}

/** The node_modules folders of the production dependencies; none when the project has no dependencies. */
function productionPackages(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: object };
  if (Object.keys(pkg.dependencies ?? {}).length === 0) return [];
  const lockPath = join(root, 'package-lock.json');
  if (!existsSync(lockPath))
    throw new PluginInstallError(`${lockPath} is missing: the release needs it (nothing was installed)`);
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages?: Record<string, LockEntry> };
  const wanted = Object.entries(lock.packages ?? {}).filter(
    ([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true && entry.link !== true,
  );
  const absent = wanted.filter(([path, entry]) => !existsSync(join(root, path)) && entry.optional !== true);
  if (absent.length > 0) {
    throw new PluginInstallError(
      `production dependencies are missing from ${root}/node_modules (run \`npm ci\`; nothing was installed):\n  ${absent
        .map(([path]) => path)
        .join('\n  ')}`,
    );
  }
  return wanted.map(([path]) => path).filter((path) => existsSync(join(root, path)));
}

/**
 * Inside a package: never its nested node_modules (those are lock entries of their own, dev ones among them) and,
 * for a native add-on that is already built, only the built `.node` files of build/, not its C sources.
 */
function keepInPackage(rel: string, native: boolean): boolean {
  if (rel.startsWith('node_modules/')) return false;
  if (!native) return true;
  if (rel.startsWith('deps/') || rel.startsWith('src/')) return false;
  return !rel.startsWith('build/') || /^build\/Release\/[^/]+\.node$/.test(rel);
}

function filesUnder(root: string, path: string, keep: (rel: string) => boolean): ReleaseFile[] {
  const source = join(root, path);
  const stat = statSync(source);
  if (stat.isDirectory()) {
    if (path.endsWith('/.bin') || path === 'node_modules/.bin') return [];
    return readdirSync(source)
      .sort()
      .flatMap((name) => filesUnder(root, `${path}/${name}`, keep));
  }
  if (!stat.isFile() || !keep(path)) return [];
  const content = readFileSync(source);
  return [
    {
      path,
      source,
      mode: stat.mode & 0o777,
      sha256: createHash('sha256').update(content).digest('hex'),
    },
  ];
}
