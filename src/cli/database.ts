/** The admin CLI's one way to reach the host database: configured as for the handlers, closed after the command. */
import type { Knex } from 'knex';

export async function withDatabase<T>(work: (db: Knex) => Promise<T>): Promise<T> {
  // Loaded when a command runs, so `--help` and argument errors stay instant.
  const [{ loadConfig }, { createMgrctl }, { openDatabase }] = await Promise.all([
    import('../config'),
    import('../contract/mgrctl'),
    import('../db/connect'),
  ]);
  const config = loadConfig();
  const db = await openDatabase(
    config,
    createMgrctl({ path: config.mgrctlPath, timeoutMs: config.mgrctlTimeoutMs }),
  );
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
