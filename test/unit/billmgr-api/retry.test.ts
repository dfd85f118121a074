import {
  BASE_BACKOFF_MS,
  backoffMs,
  isTransient,
  nextRetryDelay,
  parseRetryAfter,
} from '../../../src/billmgr-api/retry';
import {
  SellingApiError,
  SellingHttpError,
  SellingNetworkError,
  SellingXmlError,
} from '../../../src/billmgr-api/types';

const policy = { retries: 3, maxBackoffMs: 1000 };

describe('which failures are transient', () => {
  it.each([408, 429, 500, 502, 503, 504])('HTTP %i is', (status) => {
    expect(isTransient(new SellingHttpError(status, 'vds'))).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422])('HTTP %i is not', (status) => {
    expect(isTransient(new SellingHttpError(status, 'vds'))).toBe(false);
  });

  it('no answer at all is', () => {
    expect(isTransient(new SellingNetworkError('ECONNRESET', 'vds'))).toBe(true);
    expect(isTransient(new SellingNetworkError('ETIMEDOUT', 'vds'))).toBe(true);
  });

  it('an error document or a malformed answer is not', () => {
    expect(isTransient(new SellingApiError('value', 'pricelist', 'bad'))).toBe(false);
    expect(isTransient(new SellingApiError('auth', 'session', 'expired'))).toBe(false);
    expect(isTransient(new SellingXmlError('vds', 'not XML'))).toBe(false);
    expect(isTransient(new Error('boom'))).toBe(false);
  });
});

describe('nextRetryDelay', () => {
  const reset = new SellingNetworkError('ECONNRESET', 'vds');

  it('retries a safe call up to `retries` times, then gives up', () => {
    expect([1, 2, 3, 4].map((attempt) => nextRetryDelay(reset, attempt, true, policy) !== undefined)).toEqual(
      [true, true, true, false],
    );
  });

  it('never retries a call that is not safe', () => {
    expect(nextRetryDelay(reset, 1, false, policy)).toBeUndefined();
    expect(nextRetryDelay(new SellingHttpError(503, 'vds.order.param'), 1, false, policy)).toBeUndefined();
  });

  it('never retries when retries is 0', () => {
    expect(nextRetryDelay(reset, 1, true, { retries: 0, maxBackoffMs: 1000 })).toBeUndefined();
  });

  it('never retries an error document', () => {
    expect(nextRetryDelay(new SellingApiError('exists', 'vds', 'dup'), 1, true, policy)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles from the base and stops at the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((attempt) =>
      backoffMs(new SellingHttpError(500, 'vds'), attempt, 1000),
    );
    expect(waits).toEqual([BASE_BACKOFF_MS, BASE_BACKOFF_MS * 2, BASE_BACKOFF_MS * 4, 800, 1000, 1000]);
  });

  it('takes Retry-After of a 429 or 503 instead, still capped', () => {
    expect(backoffMs(new SellingHttpError(429, 'vds', 700), 1, 1000)).toBe(700);
    expect(backoffMs(new SellingHttpError(503, 'vds', 0), 3, 1000)).toBe(0);
    expect(backoffMs(new SellingHttpError(429, 'vds', 60_000), 1, 1000)).toBe(1000);
  });

  it('ignores a Retry-After on other statuses', () => {
    expect(backoffMs(new SellingHttpError(500, 'vds', 700), 1, 1000)).toBe(BASE_BACKOFF_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date, never below zero', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('gives undefined for nothing or nonsense', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
