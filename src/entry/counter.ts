/**
 * `handlers/counter`: the counter endpoint as a CGI program (`cgi/bmp-counter` on a host, served at
 * `/mancgi/bmp-counter`). Reads QUERY_STRING,
 * HTTP_COOKIE and REMOTE_ADDR, records the visit, and always prints the headers and the transparent GIF: a
 * failure is logged, never shown to the browser.
 */
import {
  COUNTER_PATH,
  counterHeaders,
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
1x1 transparent GIF. Reads QUERY_STRING, HTTP_COOKIE and REMOTE_ADDR; settings as for every handler (README).`;

export async function run(
  io: CgiIo = {
    env: process.env,
    write: (chunk) => process.stdout.write(chunk),
    argv: process.argv.slice(2),
  },
): Promise<void> {
  // A web server never passes --help (CGI arguments come only from ISINDEX queries, which have no '=' or '-').
  if (io.env.GATEWAY_INTERFACE === undefined && io.argv?.some((a) => a === '--help' || a === '-h')) {
    io.write(`${HELP}\n`);
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
  const head = [
    'Status: 200 OK',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  io.write(`${head}\r\n\r\n`);
  io.write(TRANSPARENT_GIF);
  await rt?.close();
}
