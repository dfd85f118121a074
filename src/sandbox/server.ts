/** The sandbox selling BILLmanager: a real HTTP server on loopback speaking the selling panel's XML API. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HostError } from '../contract/errors';
import { buildDoc, errorDoc } from '../contract/xml';
import { DEFAULT_ACCOUNTS } from './accounts';
import { handleControl } from './control';
import { FaultSwitches, type Fault } from './faults';
import { delay, readBody, requestParams, sendText, sendXml } from './http-io';
import { answer } from './routes';
import { SandboxState } from './state';
import type { SandboxOptions } from './types';

export type { Fault } from './faults';
export { FaultSwitches } from './faults';
export { SandboxState } from './state';
export * from './types';

export interface Sandbox {
  /** e.g. `http://127.0.0.1:40123/billmgr` */
  url: string;
  state: SandboxState;
  faults: FaultSwitches;
  close(): Promise<void>;
}

const DEFAULT_SESSION_TTL_MS = 3_600_000;
/** What a 'malformed' fault answers: the start of a document, cut off. */
const MALFORMED_ANSWER = '<?xml version="1.0" encoding="UTF-8"?>\n<doc><elem><id>1</id><na';

/** Runs the call's function and renders the answer; a refusal becomes the panel's error document. */
function respond(
  state: SandboxState,
  faults: FaultSwitches,
  func: string,
  params: Record<string, string>,
): string {
  try {
    return buildDoc(answer(state, faults, func, params));
  } catch (err) {
    const error =
      err instanceof HostError ? err : new HostError('internal', 'sandbox', (err as Error).message);
    return errorDoc(error);
  }
}

async function answerWithFault(res: ServerResponse, fault: Fault, run: () => string, latencyMs: number) {
  switch (fault.kind) {
    case 'drop':
      res.socket?.destroy();
      return;
    case 'hang':
      return;
    case 'dropAfterApply':
      run();
      res.socket?.destroy();
      return;
    case 'http':
      await delay(latencyMs);
      sendText(res, fault.status, `HTTP ${fault.status} from the sandbox's fault switch\n`);
      return;
    case 'malformed':
      await delay(latencyMs);
      sendXml(res, MALFORMED_ANSWER);
      return;
    case 'error':
      await delay(latencyMs);
      sendXml(res, errorDoc(new HostError(fault.type, fault.object ?? '', fault.msg)));
      return;
  }
}

async function handleBillmgr(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: SandboxState,
  faults: FaultSwitches,
) {
  const params = requestParams(url, await readBody(req));
  const func = params.func ?? '';
  if (faults.down) {
    state.recordCall(func, params, 'down');
    res.socket?.destroy();
    return;
  }
  const fault = faults.take(func);
  state.recordCall(func, params, fault?.kind);
  const run = (): string => respond(state, faults, func, params);
  if (fault) return answerWithFault(res, fault, run, faults.latencyMs);
  const text = run();
  await delay(faults.latencyMs);
  sendXml(res, text);
}

function handler(state: SandboxState, faults: FaultSwitches) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      if (url.pathname.startsWith('/sandbox/')) await handleControl(req, res, url, state, faults);
      else if (url.pathname === '/billmgr') await handleBillmgr(req, res, url, state, faults);
      else sendText(res, 404, 'not found: the selling API is at /billmgr\n');
    } catch (err) {
      if (!res.headersSent) sendText(res, 500, `sandbox failure: ${(err as Error).message}\n`);
    }
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = new SandboxState({
    shape: options.shape ?? 'classic',
    accounts: options.accounts ?? DEFAULT_ACCOUNTS,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    autoActivate: options.autoActivate ?? false,
    now: options.now ?? (() => new Date()),
  });
  const faults = new FaultSwitches();
  const serve = handler(state, faults);
  const server = createServer((req, res) => void serve(req, res));
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${host}:${port}/billmgr`,
    state,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Hanging calls and idle keep-alive sockets would hold close() open forever.
        server.closeAllConnections();
      }),
  };
}
