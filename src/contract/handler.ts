/** Runs one host-invoked handler: parse argv, do the work, print one document, set the exit code, save errors. */
import type { Knex } from 'knex';
import { loadConfig, type PluginConfig } from '../config';
import type { Logger, LogContext } from '../log';
import { wantsHelp } from './argv';
import { captureConsole, diagnostic, setDiagnosticSink } from './diagnostics';
import { HostError, toHostError } from './errors';
import { hostMgrctl, type Mgrctl } from './mgrctl';
import { redact } from './redact';
import { errorDoc } from './xml';

export interface HandlerContext {
  readonly config: PluginConfig;
  readonly mgrctl: Mgrctl;
  /** Created on first use: `features` and `--help` never load winston. */
  readonly log: Logger;
  /** Opened on first use and closed when the handler ends. */
  db(): Promise<Knex>;
  readStdin(): Promise<string>;
}

export interface HandlerSpec<A> {
  name: string;
  help: string;
  /** Reads argv; options it does not know are skipped and named in `ignored` (the core may pass more). */
  parse(argv: readonly string[], ignored: string[]): A;
  logContext(args: A): Omit<LogContext, 'handler'>;
  /** The running operation to save an error on, when the core gave one. */
  runningOperation?(args: A): number | undefined;
  execute(args: A, ctx: HandlerContext): Promise<string>;
}

export interface HandlerIo {
  stdout: { write(text: string): unknown };
  stdin?: NodeJS.ReadableStream;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function runHandler<A>(
  spec: HandlerSpec<A>,
  argv: readonly string[] = process.argv.slice(2),
  io: HandlerIo = { stdout: process.stdout },
): Promise<void> {
  if (wantsHelp(argv)) {
    io.stdout.write(spec.help.trimEnd() + '\n');
    return;
  }
  let args: A | undefined;
  let ctx: LazyContext | undefined;
  // Whatever a library prints goes to the log: stdout carries exactly one document.
  const restoreConsole = captureConsole();
  let restoreSink: (() => void) | undefined;
  try {
    const ignored: string[] = [];
    args = spec.parse(argv, ignored);
    const context = new LazyContext(
      loadConfig(io.env),
      { handler: spec.name, ...spec.logContext(args) },
      io.stdin,
    );
    ctx = context;
    restoreSink = setDiagnosticSink((level, message) => context.log.log(level, redact(message)));
    // Only at debug level: `features` runs on every panel start and loads no logger when it need not.
    if (ignored.length > 0 && context.config.log.level === 'debug')
      context.log.debug(`ignored options the handler does not know: --${ignored.join(', --')}`);
    io.stdout.write(await spec.execute(args, ctx));
  } catch (err) {
    const hostError = toHostError(err);
    const doc = redact(errorDoc(hostError));
    io.stdout.write(doc);
    process.exitCode = 1;
    if (ctx) {
      ctx.log.error(redact(`${hostError.type}/${hostError.object}: ${hostError.message}`));
      // A fault (not a refusal the host understands) keeps its stack trace, in the log only.
      if (!(err instanceof HostError) && err instanceof Error && err.stack) ctx.log.error(redact(err.stack));
      const operation = args === undefined ? undefined : spec.runningOperation?.(args);
      if (operation !== undefined) await saveOnRunningOperation(ctx, operation, doc);
    } else if (!(err instanceof HostError) && err instanceof Error) {
      diagnostic('error', err);
    }
  } finally {
    await ctx?.close();
    restoreSink?.();
    restoreConsole();
  }
}

async function saveOnRunningOperation(ctx: HandlerContext, operation: number, doc: string): Promise<void> {
  try {
    const { call, coreCalls } = await import('../host/core');
    await call(ctx.mgrctl, coreCalls.editOperation(operation, doc.trim()));
  } catch (err) {
    ctx.log.error(`could not save the error on running operation ${operation}: ${(err as Error).message}`);
  }
}

class LazyContext implements HandlerContext {
  readonly mgrctl: Mgrctl;
  private logger?: Logger;
  private knex?: Promise<Knex>;

  constructor(
    readonly config: PluginConfig,
    private readonly logContext: LogContext,
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
  ) {
    this.mgrctl = hostMgrctl(config);
  }

  get log(): Logger {
    if (!this.logger) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createLogger } = require('../log') as typeof import('../log');
      this.logger = createLogger(this.config, this.logContext);
    }
    return this.logger;
  }

  db(): Promise<Knex> {
    if (!this.knex) {
      this.knex = import('../db/connect').then(({ openDatabase }) => openDatabase(this.config, this.mgrctl));
    }
    return this.knex;
  }

  async readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stdin)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  }

  async close(): Promise<void> {
    if (this.knex) await (await this.knex.catch(() => undefined))?.destroy();
    if (this.logger) {
      const logger = this.logger;
      await new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
        setTimeout(resolve, 500).unref();
      });
    }
  }
}
