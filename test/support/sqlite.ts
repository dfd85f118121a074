/** A throwaway SQLite database file (the demo's kind of database), shaped as the MariaDB one of mysql.ts. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { knexConfigFromUrl } from '../../src/db/connect';
import { migrate } from '../../src/db/migrate';
import type { ThrowawayDb } from './mysql';

/** A file in a temporary folder with the host fixture and the plugin migrations; `drop` removes the folder. */
export async function createThrowawaySqliteDb(): Promise<ThrowawayDb> {
  const scratch = await mkdtemp(join(tmpdir(), 'bmp-sqlite-'));
  const url = `sqlite:${join(scratch, 'host.sqlite')}`;
  const db = knex(knexConfigFromUrl(url));
  await migrate(db, { hostFixture: true });
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
