/** What the figure modules share: a throwaway database on the bench's MariaDB, and rounding a figure for its line. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { knexConfigFromUrl } from '../src/db/connect';
import type { Figure } from './figure';

/** Creates `bmp_bench_<random>` on the server of `server` (a mysql:// URL); `drop()` removes it. */
export async function throwawayDatabase(server: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bmp_bench_${randomBytes(4).toString('hex')}`;
  const admin = knex(knexConfigFromUrl(server));
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = knex(knexConfigFromUrl(server));
      try {
        await cleanup.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}

/** Milliseconds `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A measured figure (a time, a ratio: not money) rounded to `digits` for its JSON line. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Runs `script --child ...args` in a node process of its own (so its peak RSS is its own) and resolves to the one
 * JSON document it prints; a non-zero exit rejects with the start of its stderr, naming `label`. `nodeFlags` go
 * to node before the script (`RETAINED_HEAP_FLAGS` for a child that samples its retained heap).
 */
export function childJson<T>(
  script: string,
  args: readonly string[],
  label: string,
  nodeFlags: readonly string[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, '--child', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        return reject(new Error(`${label} child failed (${code}): ${err.trim().slice(0, 400)}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch (parseError) {
        reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
      }
    });
  });
}

/** What a child that samples its retained heap is started with: `gc()` for the sampler. */
export const RETAINED_HEAP_FLAGS = ['--expose-gc'] as const;

/**
 * The heap a process holds while it works, as opposed to its peak RSS: V8 lets garbage pile up to a limit it
 * raises while collecting is cheap (up to four times what survived the last full collection), so a long run
 * peaks higher than a short one that holds exactly as much. A sample is a full collection, then the heap in
 * use: what the code still refers to at that moment. The sampler keeps the highest sample, and the time its
 * collections took, for the child to leave out of its figure's time.
 */
export interface RetainedHeapSampler {
  sample(): void;
  readonly maxMb: number;
  readonly ms: number;
}

export function retainedHeapSampler(): RetainedHeapSampler {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('the retained heap is sampled only in a child started with --expose-gc');
  let max = 0;
  let ms = 0;
  return {
    sample() {
      const started = process.hrtime.bigint();
      collect();
      max = Math.max(max, process.memoryUsage().heapUsed);
      ms += Number(process.hrtime.bigint() - started) / 1e6;
    },
    get maxMb() {
      return max / (1024 * 1024);
    },
    get ms() {
      return ms;
    },
  };
}

/** Megabytes a run at the small size and one at ten times that size used. */
export interface MemoryAtTwoSizes {
  smallHeapMb: number;
  bigHeapMb: number;
  smallRssMb: number;
  bigRssMb: number;
}

/**
 * The memory figures of a job run at two sizes, ten times apart: `${prefix}_retained_heap_${small}` and
 * `_${big}`, their growth (target 1.2, flat), then the peak RSS lines beside them, without a target (V8's heap
 * sizing moves them: see retainedHeapSampler).
 */
export function memoryFigures(
  prefix: string,
  sizes: { small: string; big: string; rows: string },
  memory: MemoryAtTwoSizes,
): Figure[] {
  return [
    { name: `${prefix}_retained_heap_${sizes.small}`, value: round(memory.smallHeapMb, 1), unit: 'MB' },
    { name: `${prefix}_retained_heap_${sizes.big}`, value: round(memory.bigHeapMb, 1), unit: 'MB' },
    {
      name: `${prefix}_retained_heap_growth_10x_${sizes.rows}`,
      value: round(memory.bigHeapMb / memory.smallHeapMb, 2),
      unit: 'ratio',
      target: 1.2,
    },
    { name: `${prefix}_peak_rss_${sizes.small}`, value: round(memory.smallRssMb, 1), unit: 'MB' },
    { name: `${prefix}_peak_rss_${sizes.big}`, value: round(memory.bigRssMb, 1), unit: 'MB' },
    {
      name: `${prefix}_rss_growth_10x_${sizes.rows}`,
      value: round(memory.bigRssMb / memory.smallRssMb, 2),
      unit: 'ratio',
    },
  ];
}
