/** Fault injection: what tests switch on to see how clients cope with a slow, failing or vanishing selling panel. */

export type Fault =
  /** Answers `<doc><error type object><msg/></error></doc>` without doing anything. */
  | { kind: 'error'; type: string; object?: string; msg: string }
  /** Answers this HTTP status (e.g. 503 from a proxy) without doing anything. */
  | { kind: 'http'; status: number }
  /** Destroys the connection before doing anything. */
  | { kind: 'drop' }
  /** Does the work (places the order...) and THEN destroys the connection without answering. */
  | { kind: 'dropAfterApply' }
  /** Answers 200 with a truncated, unparsable document, without doing anything. */
  | { kind: 'malformed' }
  /** Never answers. */
  | { kind: 'hang' };

export const FAULT_KINDS: readonly Fault['kind'][] = [
  'error',
  'http',
  'drop',
  'dropAfterApply',
  'malformed',
  'hang',
];

interface Armed {
  func: string;
  fault: Fault;
  remaining: number;
  /** Matching calls still to let through before the fault fires. */
  skip: number;
}

export class FaultSwitches {
  /** Delay before every answer of /billmgr, in milliseconds. */
  latencyMs = 0;
  /** Every /billmgr request gets its connection dropped. */
  down = false;
  /** Order answers leave out `<id>`: the client must find the service by remoteid. */
  omitOrderId = false;
  /** Tariffs `pricelist.export` sends in a shape no reader can read (a price without its currency). */
  readonly unreadableTariffs = new Set<number>();
  private armed: Armed[] = [];

  /**
   * The next `times` calls of `func` (or of any func with '*') fail with `fault`; with `after: N` the first N
   * matching calls go through first (e.g. the lookup that follows an order, not the one before it).
   */
  failNext(func: string | '*', fault: Fault, times = 1, { after = 0 }: { after?: number } = {}): void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`times must be a positive integer, got ${times}`);
    if (!Number.isInteger(after) || after < 0) throw new Error(`after must be a whole number, got ${after}`);
    this.armed.push({ func, fault, remaining: times, skip: after });
  }

  /** The fault for this call, if one is armed: the func's own first, then a '*' one. Uses it up. */
  take(func: string): Fault | undefined {
    const armed = this.armed.find((a) => a.func === func) ?? this.armed.find((a) => a.func === '*');
    if (!armed) return undefined;
    if (armed.skip > 0) {
      armed.skip -= 1;
      return undefined;
    }
    armed.remaining -= 1;
    if (armed.remaining === 0) this.armed = this.armed.filter((a) => a !== armed);
    return armed.fault;
  }

  /** How many injected failures are still waiting. */
  get pending(): number {
    return this.armed.reduce((total, a) => total + a.remaining, 0);
  }

  reset(): void {
    this.latencyMs = 0;
    this.down = false;
    this.omitOrderId = false;
    this.unreadableTariffs.clear();
    this.armed = [];
  }
}
