/** The admin CLI's one way to reach the host database: configured as for the handlers, closed after the command. */
import type { Knex } from 'knex';
import type { Mgrctl } from '../contract/mgrctl';

/** The core as the commands that credit accounts call it: mgrctl and how many calls at once. */
export interface CliCore {
  mgrctl: Mgrctl;
  concurrency: number;
}

export async function withDatabase<T>(work: (db: Knex, core: CliCore) => Promise<T>): Promise<T> {
  // Loaded when a command runs, so `--help` and argument errors stay instant.
  const [{ loadConfig }, { createMgrctl }, { openDatabase }] = await Promise.all([
    import('../config'),
    import('../contract/mgrctl'),
    import('../db/connect'),
  ]);
  const config = loadConfig();
  const mgrctl = createMgrctl({ path: config.mgrctlPath, timeoutMs: config.mgrctlTimeoutMs });
  const db = await openDatabase(config, mgrctl);
  try {
    return await work(db, { mgrctl, concurrency: config.callbackConcurrency });
  } finally {
    await db.destroy();
  }
}
