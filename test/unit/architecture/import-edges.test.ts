/**
 * The edges of src/ point one way: nothing below src/entry/ and src/cli/ imports from them, and no module reaches
 * itself through its imports (type-only imports count: they tie the modules' meanings together all the same).
 * The host stand-in and the sandbox are test doubles and are read like the rest.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { projectPath } from '../../../src/paths';

const SRC = projectPath('src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Static imports and re-exports, `import('...')` and `require('...')`: the relative ones, as files. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\b(?:import|require)\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1] ?? '');
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolveModule(resolve(dirname(file), s)))
    .filter((path): path is string => path !== undefined);
}

function resolveModule(base: string): string | undefined {
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Every cycle's modules, found as the strongly connected components of more than one module (or a self-import). */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);

describe('the import edges of src/', () => {
  it('reads the imports it is checking (the reader is not blind)', () => {
    expect(graph.get(join(SRC, 'entry/pmbillmgr.ts'))?.map(name)).toEqual(
      expect.arrayContaining(['contract/argv.ts', 'entry/handler.ts', 'reseller/services/commands.ts']),
    );
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
  });

  it('has nothing below entry/ and cli/ importing from them', () => {
    const top = (file: string) => /^(entry|cli)\//.test(name(file));
    const upward = files
      .filter((file) => !top(file))
      .flatMap((file) => (graph.get(file) ?? []).filter(top).map((to) => `${name(file)} -> ${name(to)}`));
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cyclesOf(graph).map((cycle) => cycle.map(name).join(' <-> '))).toEqual([]);
  });
});
