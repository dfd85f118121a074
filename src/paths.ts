/** Where the project's own files are, whether running from dist/ (built) or src/ (tests). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

export const projectRoot = findRoot(__dirname);
export const projectPath = (...parts: string[]): string => join(projectRoot, ...parts);
