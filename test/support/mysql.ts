/** A throwaway MariaDB database per test file, on the server scripts/with-mariadb.js made available. */
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { knexConfigFromUrl } from '../../src/db/connect';
import { migrate } from '../../src/db/migrate';

export interface ThrowawayDb {
  url: string;
  db: Knex;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  const url = process.env.TEST_MYSQL_URL;
  if (!url) {
    throw new Error(
      'TEST_MYSQL_URL is not set: run the tests with `npm test`, which makes a MariaDB available',
    );
  }
  return url;
}

/** Creates `bmp_test_<random>`, applies the host fixture and the plugin migrations, and returns it. */
export async function createThrowawayDb({ hostFixture = true } = {}): Promise<ThrowawayDb> {
  const server = new URL(serverUrl());
  const name = `bmp_test_${randomBytes(5).toString('hex')}`;
  const admin = knex(knexConfigFromUrl(server.toString()));
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.destroy();
  const dbUrl = new URL(server.toString());
  dbUrl.pathname = `/${name}`;
  const url = dbUrl.toString();
  const db = knex(knexConfigFromUrl(url));
  await migrate(db, { hostFixture });
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      const cleanup = knex(knexConfigFromUrl(server.toString()));
      await cleanup.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await cleanup.destroy();
    },
  };
}
