/**
 * The one runtime every handler and CLI command runs in: settings read once, the core's mgrctl, a logger and a
 * database opened on first use, one clock, and one `close()` that closes the database and waits for the log to be
 * written. `features`, `--help` and argument errors load neither winston nor knex.
 */
import type { Knex } from 'knex';
import { loadConfig, type PluginConfig } from './config';
import { hostMgrctl, type Mgrctl } from './contract/mgrctl';
import { systemClock, type Clock } from './domain/clock';
import type { Logger, LogContext } from './log';

export type { Clock } from './domain/clock';

export interface Runtime {
  readonly config: PluginConfig;
  readonly mgrctl: Mgrctl;
  /** Created on first use. */
  readonly log: Logger;
  readonly clock: Clock;
  /** Opened on first use; closed by `close()`. */
  db(): Promise<Knex>;
  /** Closes the database, if it was opened, and ends the log once every line is written. */
  close(): Promise<void>;
}

/** What a handler's command gets: the runtime without `close` (the runner closes it), and the host's stdin. */
export interface HandlerContext extends Omit<Runtime, 'close'> {
  readStdin(): Promise<string>;
}

export interface RuntimeOptions {
  /** On every log line: the handler (it also names the log file) and the command, item and module. */
  logContext: LogContext;
  env?: Readonly<Record<string, string | undefined>>;
  /** Settings already read (a handler reads them before it has a runtime); else read from `env`. */
  config?: PluginConfig;
  clock?: Clock;
  mgrctl?: Mgrctl;
}

/** How long `close()` waits for the log to be written before it gives up on it. */
const LOG_FLUSH_WAIT_MS = 500;

export function openRuntime(options: RuntimeOptions): Runtime {
  return new LazyRuntime(options);
}

/** Runs `work` in a runtime and closes it afterwards, whether `work` succeeded or not. */
export async function withRuntime<T>(options: RuntimeOptions, work: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = openRuntime(options);
  try {
    return await work(rt);
  } finally {
    await rt.close();
  }
}

class LazyRuntime implements Runtime {
  readonly config: PluginConfig;
  readonly mgrctl: Mgrctl;
  readonly clock: Clock;
  private readonly logContext: LogContext;
  private logger?: Logger;
  private knex?: Promise<Knex>;

  constructor(options: RuntimeOptions) {
    this.config = options.config ?? loadConfig(options.env);
    this.mgrctl = options.mgrctl ?? hostMgrctl(this.config);
    this.clock = options.clock ?? systemClock;
    this.logContext = options.logContext;
  }

  get log(): Logger {
    if (!this.logger) {
      // winston costs ~30 ms to load: only a run that logs pays for it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createLogger } = require('./log') as typeof import('./log');
      this.logger = createLogger(this.config, this.logContext);
    }
    return this.logger;
  }

  db(): Promise<Knex> {
    this.knex ??= import('./db/connect').then(({ openDatabase }) => openDatabase(this.config, this.mgrctl));
    return this.knex;
  }

  async close(): Promise<void> {
    const knex = this.knex;
    this.knex = undefined;
    if (knex) await (await knex.catch(() => undefined))?.destroy();
    const logger = this.logger;
    this.logger = undefined;
    if (logger) {
      await new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
        setTimeout(resolve, LOG_FLUSH_WAIT_MS).unref();
      });
    }
  }
}
