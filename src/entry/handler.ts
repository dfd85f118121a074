/** Runs one host-invoked handler: parse argv, do the work, print one document, set the exit code, save errors. */
import type { LogContext } from '../log';
import { wantsHelp } from '../contract/argv';
import { captureConsole, diagnostic, setDiagnosticSink } from '../contract/diagnostics';
import { HostError, toHostError } from '../contract/errors';
import { redact } from '../contract/redact';
import { errorDoc } from '../contract/xml';
import { openRuntime, type HandlerContext, type Runtime } from '../runtime';

export type { HandlerContext };

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
  let ctx: (HandlerContext & Pick<Runtime, 'close'>) | undefined;
  // Whatever a library prints goes to the log: stdout carries exactly one document.
  const restoreConsole = captureConsole();
  let restoreSink: (() => void) | undefined;
  try {
    const ignored: string[] = [];
    args = spec.parse(argv, ignored);
    const runtime = openRuntime({
      env: io.env,
      logContext: { handler: spec.name, ...spec.logContext(args) },
    });
    const context = Object.assign(runtime, { readStdin: () => readAll(io.stdin ?? process.stdin) });
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

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
