/** `billmgr-plugin migrate [--host-fixture]`: applies the plugin's migrations to the configured database. */
import type { Command } from 'commander';
import { withDatabase } from '../database';
import { outputOf } from '../output';

export function register(program: Command): void {
  program
    .command('migrate')
    .description("apply the plugin's migrations to the database (BMP_DATABASE_URL, or mgrctl paramlist)")
    .option(
      '--host-fixture',
      'also create the host tables of the test fixture (sandboxes and tests only, never a real host)',
    )
    .action(async (options: { hostFixture?: boolean }, command: Command) => {
      const { migrate } = await import('../../db/migrate');
      await withDatabase(async (db) => {
        const result = await migrate(db, { hostFixture: options.hostFixture === true });
        outputOf(command).result(result, [
          ...(options.hostFixture
            ? [`host fixture tables created: ${listOrNone(result.hostTablesCreated)}`]
            : []),
          `migrations applied: ${listOrNone(result.migrationsApplied)}`,
        ]);
      });
    });
}

function listOrNone(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : 'none (already up to date)';
}
