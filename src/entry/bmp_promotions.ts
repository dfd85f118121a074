/**
 * `handlers/bmp_promotions`: the panel function ([assumed] `bmp.promotions`, src/promotions/panel.ts) that shows
 * a client the promotions running now and, for each, whether the client may take part and why. Prints one XML
 * document; a failure is the host's error document and a non-zero exit. Logs go to the log file, never stdout.
 */
import { captureConsole, setDiagnosticSink } from '../contract/diagnostics';
import { toHostError } from '../contract/errors';
import { redact } from '../contract/redact';
import { buildDoc, errorDoc } from '../contract/xml';
import { readPanelInput } from '../host/panel-events';
import { openRuntime, type Runtime } from '../runtime';
import { readBody } from './panel-event';

export interface PanelFunctionIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  argv?: readonly string[];
}

const HELP = `bmp_promotions: panel function (bmp.promotions), installed in addon/ and registered in the plugin's XML.

Reads the panel's CGI input (QUERY_STRING, and the posted form on stdin): the client's account (account_id) and a
promo code typed (promocode). Prints one XML document: each promotion running now with eligible="yes|no", its
condition groups and every condition's outcome with the client's own value beside the threshold.`;

export async function run(
  io: PanelFunctionIo = {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    argv: process.argv.slice(2),
  },
): Promise<void> {
  if (io.env.GATEWAY_INTERFACE === undefined && io.argv?.some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(`${HELP}\n`);
    return;
  }
  const restoreConsole = captureConsole();
  let restoreSink: (() => void) | undefined;
  let rt: Runtime | undefined;
  let document: string;
  try {
    const runtime = openRuntime({
      env: io.env,
      logContext: { handler: 'bmp_promotions', command: 'bmp.promotions' },
    });
    rt = runtime;
    restoreSink = setDiagnosticSink((level, message) => runtime.log.log(level, message));
    const { readClientRequest, clientPromotions, clientPromotionsDoc } = await import('../promotions/panel');
    const request = readClientRequest(readPanelInput(io.env, await readBody(io)));
    const list = await clientPromotions(
      await runtime.db(),
      request.account,
      runtime.clock.now(),
      request.code,
    );
    runtime.log.info(
      `account ${request.account}: ${list.length} running, ${list.filter((p) => p.eligibility.eligible).length} eligible`,
    );
    document = buildDoc(clientPromotionsDoc(request.account, list));
  } catch (err) {
    const message = `bmp_promotions: ${err instanceof Error ? err.message : String(err)}`;
    if (rt) rt.log.error(redact(message));
    else process.stderr.write(`${redact(message)}\n`);
    document = errorDoc(toHostError(err));
    process.exitCode = 1;
  } finally {
    restoreSink?.();
    restoreConsole();
  }
  io.stdout.write(document);
  await rt?.close();
}
