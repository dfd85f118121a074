/** What the figure modules share: a throwaway database on the bench's MariaDB, and rounding a figure for its line. */
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { knexConfigFromUrl } from '../src/db/connect';

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
