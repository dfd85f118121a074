/**
 * The admin CLI's way to the runtime the handlers have (src/runtime.ts): configured as they are, closed after the
 * command, the log written out before the process ends. Loaded when a command runs, so `--help` and argument
 * errors stay instant.
 */
import type { Knex } from 'knex';
import type { Mgrctl } from '../contract/mgrctl';
import type { LogContext } from '../log';
import type { Clock, Runtime } from '../runtime';

/** Runs `work` in a runtime logging as `logContext` says (by default to `var/bmp-billmgr-plugin.log`). */
export async function withCliRuntime<T>(
  logContext: Partial<LogContext>,
  work: (rt: Runtime) => Promise<T>,
): Promise<T> {
  const { withRuntime } = await import('../runtime');
  return withRuntime({ logContext: { handler: 'billmgr-plugin', ...logContext } }, work);
}

/** What a command needs beside the database: the runtime's clock, and the core for the commands that credit accounts. */
export interface CliRuntime {
  clock: Clock;
  mgrctl: Mgrctl;
  /** How many core calls at once. */
  concurrency: number;
}

/** Runs `work` on the host database, with the runtime's clock and core. */
export async function withDatabase<T>(work: (db: Knex, cli: CliRuntime) => Promise<T>): Promise<T> {
  return withCliRuntime({}, async (rt) =>
    work(await rt.db(), { clock: rt.clock, mgrctl: rt.mgrctl, concurrency: rt.config.callbackConcurrency }),
  );
}
