/**
 * `handlers/counter`: the counter endpoint as a CGI program (`cgi/bmp-counter` on a host, served at
 * `/mancgi/bmp-counter`). Reads QUERY_STRING,
 * HTTP_COOKIE and REMOTE_ADDR, records the visit, and always prints the headers and the transparent GIF (the
 * headers alone for HEAD; 405 for a REQUEST_METHOD other than GET and HEAD, recording nothing): a failure is
 * logged, never shown to the browser.
 */
import {
  COUNTER_PATH,
  counterHeaders,
  isCounterMethod,
  METHOD_NOT_ALLOWED_BODY,
  methodNotAllowedHeaders,
  recordCounterHit,
  TRANSPARENT_GIF,
  visitorFromCookie,
} from '../affiliate/counter';
import { COUNTER_CGI_NAME } from '../module-name';
import { captureConsole, setDiagnosticSink } from '../contract/diagnostics';
import { openRuntime, type Runtime } from '../runtime';

export interface CgiIo {
  env: Readonly<Record<string, string | undefined>>;
  write(chunk: Buffer | string): unknown;
  argv?: readonly string[];
}

const HELP = `counter: the affiliate counter, a CGI program (installed as <mgrdir>/cgi/${COUNTER_CGI_NAME}).

The panel runs it for GET ${COUNTER_PATH}?rnd=&project=&r=<referring page>&p=<page with ?from=<partner>>.
It records the visit, sets a visitor cookie that binds a later signup to the partner, and always answers a
1x1 transparent GIF (HEAD: the headers alone; other methods: 405, nothing recorded). Reads REQUEST_METHOD,
QUERY_STRING, HTTP_COOKIE and REMOTE_ADDR; settings as for every handler (README).`;

export async function run(
  io: CgiIo = { env: process.env, write: stdoutWriter(), argv: process.argv.slice(2) },
): Promise<void> {
  // A web server never passes --help (CGI arguments come only from ISINDEX queries, which have no '=' or '-').
  if (io.env.GATEWAY_INTERFACE === undefined && io.argv?.some((a) => a === '--help' || a === '-h')) {
    io.write(`${HELP}\n`);
    return;
  }
  // Run by hand there is no REQUEST_METHOD: that is a GET.
  const method = io.env.REQUEST_METHOD ?? 'GET';
  if (!isCounterMethod(method)) {
    io.write(`${cgiHead('405 Method Not Allowed', methodNotAllowedHeaders())}${METHOD_NOT_ALLOWED_BODY}`);
    return;
  }
  const cookie = io.env.HTTP_COOKIE;
  let visitor = visitorFromCookie(cookie);
  let rt: Runtime | undefined;
  // stdout is the browser's answer: a library's warning printed there would come before the headers.
  const restoreConsole = captureConsole();
  let restoreSink: (() => void) | undefined;
  try {
    const runtime = openRuntime({ env: io.env, logContext: { handler: 'counter' } });
    rt = runtime;
    restoreSink = setDiagnosticSink((level, message) => runtime.log.log(level, message));
    const result = await recordCounterHit(await runtime.db(), {
      query: io.env.QUERY_STRING ?? '',
      cookie,
      ip: io.env.REMOTE_ADDR,
      now: runtime.clock.now(),
    });
    visitor = result.visitor;
  } catch (err) {
    const message = `counter: the visit was not recorded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    if (rt) rt.log.error(message);
    else process.stderr.write(`${message}\n`);
  } finally {
    restoreSink?.();
    restoreConsole();
  }
  const headers = counterHeaders(visitor ?? (await import('node:crypto')).randomBytes(16).toString('hex'));
  io.write(cgiHead('200 OK', headers));
  if (method !== 'HEAD') io.write(TRANSPARENT_GIF);
  await rt?.close();
}

function cgiHead(status: string, headers: Record<string, string>): string {
  const lines = [`Status: ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Writes the answer to stdout. A browser that hangs up early has the web server close the pipe under us: the
 * answer has nowhere to go, which is not the counter's failure (the visit is recorded by then), so it is said once
 * on stderr instead of ending the program with an unhandled EPIPE.
 */
function stdoutWriter(): (chunk: Buffer | string) => unknown {
  let said = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (said) return;
    said = true;
    process.stderr.write(`counter: the client went away before the answer (${err.code ?? err.message})\n`);
  });
  return (chunk) => process.stdout.write(chunk);
}
