/** `billmgr-plugin migrate` on a throwaway MariaDB and on a temporary SQLite file: one command, re-runnable. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { migrations } from '../../sql/migrations';
import { knexConfigFromUrl } from '../../src/db/connect';
import { hostFixtureStatements } from '../../src/db/host-fixture';
import { projectPath } from '../../src/paths';
import { serverUrl } from '../support/mysql';

interface MigrateReport {
  hostTablesCreated: string[];
  migrationsApplied: string[];
}

const HOST_TABLES = hostFixtureStatements('mysql')
  .map((statement) => /^CREATE TABLE `(\w+)`/.exec(statement)?.[1])
  .filter((name): name is string => name !== undefined);
const MIGRATIONS = Object.keys(migrations).sort();

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'migrate-test-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the admin CLI as a person would, against `databaseUrl`. */
function migrateCli(databaseUrl: string, ...flags: string[]): MigrateReport {
  const result = spawnSync(
    process.execPath,
    [projectPath('bin', 'billmgr-plugin'), '--json', 'migrate', ...flags],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        BMP_DATABASE_URL: databaseUrl,
        BMP_CONFIG: join(scratch, 'absent.json'),
      },
      timeout: 60000,
    },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as MigrateReport;
}

async function tables(db: Knex): Promise<string[]> {
  const rows = String(db.client.config.client).startsWith('mysql')
    ? ((await db.raw('SHOW TABLES'))[0] as Record<string, string>[]).map((row) => Object.values(row)[0] ?? '')
    : ((await db('sqlite_master').where({ type: 'table' }).select('name')) as { name: string }[]).map(
        (r) => r.name,
      );
  return rows.filter((name) => !name.startsWith('sqlite_')).sort();
}

async function appliedMigrations(db: Knex): Promise<string[]> {
  return ((await db('bmp_migrations').select('name').orderBy('name')) as { name: string }[]).map(
    (r) => r.name,
  );
}

/** The database behind a URL: what `migrate` left there. */
async function inspect(url: string): Promise<{ tables: string[]; applied: string[] }> {
  const db = knex(knexConfigFromUrl(url));
  try {
    return { tables: await tables(db), applied: await appliedMigrations(db) };
  } finally {
    await db.destroy();
  }
}

function expectFirstRun(report: MigrateReport, found: { tables: string[]; applied: string[] }): void {
  expect([...report.hostTablesCreated].sort()).toEqual([...HOST_TABLES].sort());
  expect(report.migrationsApplied).toEqual(MIGRATIONS);
  expect(found.applied).toEqual(MIGRATIONS);
  expect(found.tables).toEqual(expect.arrayContaining([...HOST_TABLES, 'bmp_migrations']));
  // Each migration adds at least one table of the plugin's own.
  const pluginTables = found.tables.filter(
    (t) => !HOST_TABLES.includes(t) && !t.startsWith('bmp_migrations'),
  );
  expect(pluginTables.length).toBeGreaterThanOrEqual(1);
}

describe('migrate on a throwaway MariaDB', () => {
  const name = `bmp_test_migrate_${randomBytes(4).toString('hex')}`;
  let url: string;
  let admin: Knex;

  beforeAll(async () => {
    admin = knex(knexConfigFromUrl(serverUrl()));
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    const dbUrl = new URL(serverUrl());
    dbUrl.pathname = `/${name}`;
    url = dbUrl.toString();
  });

  afterAll(async () => {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  });

  it('creates the host fixture and the plugin tables, and a second run is a no-op', async () => {
    const first = migrateCli(url, '--host-fixture');
    const afterFirst = await inspect(url);
    expectFirstRun(first, afterFirst);

    expect(migrateCli(url, '--host-fixture')).toEqual({ hostTablesCreated: [], migrationsApplied: [] });
    expect(await inspect(url)).toEqual(afterFirst);
  });
});

describe('migrate on a temporary SQLite file', () => {
  it('creates the host fixture and the plugin tables, and a second run is a no-op', async () => {
    const url = `sqlite:${join(scratch, 'sandbox.sqlite')}`;
    const first = migrateCli(url, '--host-fixture');
    const afterFirst = await inspect(url);
    expectFirstRun(first, afterFirst);

    expect(migrateCli(url, '--host-fixture')).toEqual({ hostTablesCreated: [], migrationsApplied: [] });
    expect(await inspect(url)).toEqual(afterFirst);
  });

  it('without --host-fixture creates only the plugin tables, as on a real host', async () => {
    const url = `sqlite:${join(scratch, 'host.sqlite')}`;
    const report = migrateCli(url);
    expect(report).toEqual({ hostTablesCreated: [], migrationsApplied: MIGRATIONS });
    const found = await inspect(url);
    expect(found.tables.filter((t) => HOST_TABLES.includes(t))).toEqual([]);
    expect(found.applied).toEqual(MIGRATIONS);
  });
});

describe('migrate without a database', () => {
  it('fails with a clear message and exit 1 when neither the URL nor mgrctl paramlist is there', () => {
    const result = spawnSync(process.execPath, [projectPath('bin', 'billmgr-plugin'), 'migrate'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, BMP_MGRDIR: scratch, BMP_CONFIG: join(scratch, 'absent.json') },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('billmgr-plugin: mgrctl paramlist failed: not found\n');
  });
});
