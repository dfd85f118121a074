/**
 * THE retry policy of calls to the selling BILLmanager. Nothing else decides whether a call is repeated.
 *
 * - Which calls: only calls marked safe (`CallOptions.safe`): reads, `list()`, `func=auth`. A mutating call
 *   (order, suspend, prolong, ...) is never repeated on a failure, because its first attempt may have reached
 *   the selling side and been carried out there; a repeat could order or charge twice.
 * - Which failures: no answer at all (`SellingNetworkError`: refused, reset, DNS, timeout) and the HTTP statuses
 *   408 (request timeout), 429 (too many requests) and 5xx. Never an error document (`<error type=..>`: the selling
 *   side has decided) and never another 4xx (the request itself is wrong; repeating it cannot help).
 *   An expired session (`type="auth"`) is not a retry: the client authenticates again once, see client.ts.
 * - How many times: `retries` repeats after the first attempt, so at most `retries + 1` attempts; 0 disables.
 * - How long between attempts: exponential from BASE_BACKOFF_MS (100, 200, 400, ... ms), capped at `maxBackoffMs`.
 *   A `Retry-After` sent with 429 or 503 replaces the exponential wait, still capped at `maxBackoffMs`.
 */
import { SellingHttpError, SellingNetworkError } from './types';

export interface RetryPolicy {
  readonly retries: number;
  readonly maxBackoffMs: number;
}

export const BASE_BACKOFF_MS = 100;

const RETRYABLE_STATUSES = new Set([408, 429]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** True when the failure may go away by itself: no answer, 408, 429 or 5xx. */
export function isTransient(err: unknown): boolean {
  if (err instanceof SellingNetworkError) return true;
  if (err instanceof SellingHttpError) return RETRYABLE_STATUSES.has(err.status) || err.status >= 500;
  return false;
}

/**
 * What to do after `attempt` (1-based) failed with `err`: the wait in ms before the next attempt,
 * or undefined to give up and pass `err` on.
 */
export function nextRetryDelay(
  err: unknown,
  attempt: number,
  safe: boolean,
  policy: RetryPolicy,
): number | undefined {
  if (!safe || attempt > policy.retries || !isTransient(err)) return undefined;
  return backoffMs(err, attempt, policy.maxBackoffMs);
}

/** The wait after failed attempt `attempt` (1-based): the server's Retry-After or exponential, both capped. */
export function backoffMs(err: unknown, attempt: number, maxBackoffMs: number): number {
  const asked =
    err instanceof SellingHttpError && RETRY_AFTER_STATUSES.has(err.status) ? err.retryAfterMs : undefined;
  const wait = asked ?? BASE_BACKOFF_MS * 2 ** (attempt - 1);
  return Math.max(0, Math.min(wait, maxBackoffMs));
}

/** A `Retry-After` header in ms: delay-seconds ("120") or an HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT"); else undefined. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
