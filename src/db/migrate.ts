/** The plugin's own tables: knex migrations from sql/migrations, listed in sql/migrations/index.ts. */
import type { Knex } from 'knex';
import { migrations } from '../../sql/migrations';
import { applyHostFixture } from './host-fixture';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};

export interface MigrateResult {
  hostTablesCreated: string[];
  migrationsApplied: string[];
}

/** One command for both: the host fixture (only when asked) and the plugin's migrations. */
export async function migrate(db: Knex, { hostFixture }: { hostFixture: boolean }): Promise<MigrateResult> {
  const hostTablesCreated = hostFixture ? await applyHostFixture(db) : [];
  const [, applied] = (await db.migrate.latest({ migrationSource: source, tableName: 'bmp_migrations' })) as [
    number,
    string[],
  ];
  return { hostTablesCreated, migrationsApplied: applied };
}

/** The names of the plugin's migrations not yet applied to `db` (the doctor reports them). */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list({ migrationSource: source, tableName: 'bmp_migrations' })) as [
    unknown[],
    unknown[],
  ];
  return pending.map((entry) =>
    typeof entry === 'string' ? entry : String((entry as { file?: string }).file ?? entry),
  );
}
