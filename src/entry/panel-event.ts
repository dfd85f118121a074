/**
 * The runner of the panel event handlers (contract section 6): reads the panel's CGI input, binds the referral it
 * names, and prints `<doc/>`, which changes nothing in the panel's answer. A failure of its own is logged and still
 * answered with `<doc/>` and exit 0: the panel function already succeeded and must not break because of the plugin.
 */
import type { Knex } from 'knex';
import type { PanelBinding } from '../affiliate/panel-binding';
import { captureConsole, setDiagnosticSink } from '../contract/diagnostics';
import { redact } from '../contract/redact';
import { buildDoc } from '../contract/xml';
import { readPanelInput, type PanelInput } from '../host/panel-events';
import { openRuntime, type Runtime } from '../runtime';

export interface PanelEventIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  argv?: readonly string[];
}

export type BindFromPanel = (db: Knex, input: PanelInput, now: Date) => Promise<PanelBinding>;

/** The most of a posted form the handler reads: a signup or order form is a few kilobytes. */
const MAX_BODY = 64 * 1024;

export async function runPanelEvent(
  name: string,
  help: string,
  bindFromPanel: BindFromPanel,
  io: PanelEventIo = {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    argv: process.argv.slice(2),
  },
): Promise<void> {
  if (io.env.GATEWAY_INTERFACE === undefined && io.argv?.some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(`${help.trimEnd()}\n`);
    return;
  }
  const restoreConsole = captureConsole();
  let restoreSink: (() => void) | undefined;
  let rt: Runtime | undefined;
  try {
    const runtime = openRuntime({
      env: io.env,
      logContext: { handler: name, command: io.env.QUERY_STRING ? 'get' : 'post' },
    });
    rt = runtime;
    restoreSink = setDiagnosticSink((level, message) => runtime.log.log(level, message));
    const input = readPanelInput(io.env, await readBody(io));
    const outcome = await bindFromPanel(await runtime.db(), input, runtime.clock.now());
    runtime.log.info(`${input.func || '(no func)'}: ${describe(outcome)}`);
  } catch (err) {
    const message = `${name}: no referral bound: ${err instanceof Error ? err.message : String(err)}`;
    if (rt) {
      rt.log.error(redact(message));
      if (err instanceof Error && err.stack) rt.log.error(redact(err.stack));
    } else process.stderr.write(`${redact(message)}\n`);
  } finally {
    restoreSink?.();
    restoreConsole();
  }
  io.stdout.write(buildDoc());
  await rt?.close();
}

function describe(outcome: PanelBinding): string {
  switch (outcome.result) {
    case 'bound':
      return `account ${outcome.account} bound to partner ${outcome.affiliate} (${outcome.via})`;
    case 'refused':
      return `account ${outcome.account} not bound (${outcome.via}): ${outcome.reason}`;
    case 'skipped':
      return `nothing to bind: ${outcome.reason}`;
  }
}

/** The posted form (`postdata="yes"`), when there is one: up to CONTENT_LENGTH bytes of stdin. */
async function readBody(io: PanelEventIo): Promise<string> {
  const length = Number(io.env.CONTENT_LENGTH ?? '');
  if (io.env.REQUEST_METHOD !== 'POST' && !(length > 0)) return '';
  const limit = Number.isInteger(length) && length > 0 ? Math.min(length, MAX_BODY) : MAX_BODY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
