/**
 * The control surface for out-of-process use (a person trying the plugin, the demo), outside /billmgr:
 * GET /sandbox/state, POST /sandbox/activate?elid=N, POST /sandbox/faults, POST /sandbox/event,
 * POST /sandbox/expire-sessions, POST /sandbox/shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULT_KINDS, type Fault, type FaultSwitches } from './faults';
import { readBody, sendJson } from './http-io';
import type { InjectedEvent, SandboxState } from './state';
import { ANSWER_SHAPES, type AnswerShape } from './types';

class ControlError extends Error {}

/**
 * `{failNext: {func, fault, times?}}`, `{latencyMs}`, `{down}`, `{omitOrderId}`, `{unreadableTariff}`,
 * `{reset: true}`; keys combine.
 */
export interface FaultsRequest {
  reset?: boolean;
  latencyMs?: number;
  down?: boolean;
  omitOrderId?: boolean;
  /** A tariff id that `pricelist.export` sends unreadable from now on (until reset). */
  unreadableTariff?: number;
  failNext?: { func: string; fault: Fault; times?: number };
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ControlError('body must be a JSON object');
}

function checkFault(value: unknown): Fault {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new ControlError(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const fault = value as Fault;
  if (fault.kind === 'http' && !Number.isInteger(fault.status))
    throw new ControlError('an http fault needs a status');
  if (fault.kind === 'error' && (typeof fault.type !== 'string' || typeof fault.msg !== 'string')) {
    throw new ControlError('an error fault needs type and msg');
  }
  return fault;
}

export function applyFaults(faults: FaultSwitches, request: FaultsRequest): void {
  if (request.reset) faults.reset();
  if (request.latencyMs !== undefined) {
    if (!Number.isInteger(request.latencyMs) || request.latencyMs < 0)
      throw new ControlError('latencyMs must be >= 0');
    faults.latencyMs = request.latencyMs;
  }
  if (request.down !== undefined) faults.down = request.down === true;
  if (request.omitOrderId !== undefined) faults.omitOrderId = request.omitOrderId === true;
  if (request.unreadableTariff !== undefined) {
    if (!Number.isInteger(request.unreadableTariff))
      throw new ControlError('unreadableTariff must be a tariff id');
    faults.unreadableTariffs.add(request.unreadableTariff);
  }
  if (request.failNext) {
    const { func, fault, times } = request.failNext;
    if (typeof func !== 'string' || !func) throw new ControlError('failNext.func is required');
    faults.failNext(func, checkFault(fault), times ?? 1);
  }
}

async function route(
  req: IncomingMessage,
  url: URL,
  state: SandboxState,
  faults: FaultSwitches,
): Promise<unknown> {
  const action = `${req.method ?? 'GET'} ${url.pathname}`;
  switch (action) {
    case 'GET /sandbox/state':
      return state.snapshot();
    case 'POST /sandbox/activate':
      return { item: state.activate(Number(url.searchParams.get('elid'))) };
    case 'POST /sandbox/faults':
      applyFaults(faults, parseJson(await readBody(req)) as FaultsRequest);
      return { ok: true, pendingFaults: faults.pending };
    case 'POST /sandbox/event':
      return { event: state.emitEvent(parseJson(await readBody(req)) as unknown as InjectedEvent) };
    case 'POST /sandbox/shape': {
      const shape = parseJson(await readBody(req)).shape;
      if (!(ANSWER_SHAPES as readonly unknown[]).includes(shape))
        throw new ControlError(`shape must be one of ${ANSWER_SHAPES.join(', ')}`);
      state.shape = shape as AnswerShape;
      return { shape };
    }
    case 'POST /sandbox/expire-sessions':
      state.expireSessions();
      return { ok: true };
    default:
      return undefined;
  }
}

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: SandboxState,
  faults: FaultSwitches,
): Promise<void> {
  try {
    const result = await route(req, url, state, faults);
    if (result === undefined)
      sendJson(res, 404, { error: `no control action ${req.method} ${url.pathname}` });
    else sendJson(res, 200, result);
  } catch (err) {
    sendJson(res, err instanceof ControlError ? 400 : 422, { error: (err as Error).message });
  }
}
