/**
 * `handlers/bmp_promotions`: the panel function ([assumed] `bmp.promotions`, src/promotions/panel.ts) that shows
 * a client the promotions running now and, for each, whether the client may take part and why. Prints one XML
 * document; a failure is the host's error document and a non-zero exit. Logs go to the log file, never stdout.
 */
import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { captureConsole, setDiagnosticSink } from '../contract/diagnostics';
import { toHostError } from '../contract/errors';
import { hostMgrctl } from '../contract/mgrctl';
import { redact } from '../contract/redact';
import { buildDoc, errorDoc } from '../contract/xml';
import { readPanelInput } from '../host/panel-events';
import type { Logger } from '../log';

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

const MAX_BODY = 64 * 1024;

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
  let db: Knex | undefined;
  let log: Logger | undefined;
  let document: string;
  try {
    const config = loadConfig(io.env);
    const { createLogger } = await import('../log');
    const logger = createLogger(config, { handler: 'bmp_promotions', command: 'bmp.promotions' });
    log = logger;
    restoreSink = setDiagnosticSink((level, message) => logger.log(level, message));
    const { readClientRequest, clientPromotions, clientPromotionsDoc } = await import('../promotions/panel');
    const request = readClientRequest(readPanelInput(io.env, await readBody(io)));
    const { openDatabase } = await import('../db/connect');
    db = await openDatabase(config, hostMgrctl(config));
    const list = await clientPromotions(db, request.account, new Date(), request.code);
    logger.info(
      `account ${request.account}: ${list.length} running, ${list.filter((p) => p.eligibility.eligible).length} eligible`,
    );
    document = buildDoc(clientPromotionsDoc(request.account, list));
  } catch (err) {
    const message = `bmp_promotions: ${err instanceof Error ? err.message : String(err)}`;
    if (log) log.error(redact(message));
    else process.stderr.write(`${redact(message)}\n`);
    document = errorDoc(toHostError(err));
    process.exitCode = 1;
  } finally {
    await db?.destroy().catch(() => undefined);
    restoreSink?.();
    restoreConsole();
  }
  io.stdout.write(document);
  if (log) await closeLog(log);
}

async function readBody(io: PanelFunctionIo): Promise<string> {
  const length = Number(io.env.CONTENT_LENGTH ?? '');
  if (io.env.REQUEST_METHOD !== 'POST' || !(length > 0)) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size >= Math.min(length, MAX_BODY)) break;
  }
  return Buffer.concat(chunks).subarray(0, Math.min(length, MAX_BODY)).toString('utf8');
}

async function closeLog(logger: Logger): Promise<void> {
  await new Promise<void>((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
    setTimeout(resolve, 500).unref();
  });
}
