/** The selling BILLmanager client: form POSTs with out=xml, one shared session, typed errors, retries as retry.ts says. */
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { type AxiosInstance } from 'axios';
import pRetry from 'p-retry';
import { redact, registerSecret } from '../contract/redact';
import { asList, errorOf, parseXml, readFlatList, textOf, type XmlNode } from '../contract/xml';
import { nextRetryDelay, parseRetryAfter, type RetryPolicy } from './retry';
import {
  SellingApiError,
  SellingError,
  SellingHttpError,
  SellingNetworkError,
  SellingXmlError,
  type SellingClient,
  type SellingClientOptions,
  type SellingParams,
} from './types';

type Log = (level: 'debug' | 'info' | 'warn', message: string) => void;

export function createSellingClient(options: SellingClientOptions): SellingClient {
  if (!/^https?:\/\/[^/]/.test(options.url)) {
    throw new SellingError('value', 'url', 'selling BILLmanager url must start with http:// or https://');
  }
  const authinfo = `${options.username}:${options.password}`;
  registerSecret(options.password);
  registerSecret(authinfo);
  const log: Log = (level, message) => options.log?.(level, redact(message));
  const send = createSender(options, log);

  if (options.mode === 'authinfo') {
    return {
      call: (func, params = {}, { safe = false } = {}) => send(func, { ...params, authinfo }, safe, readDoc),
      list: (func, params = {}) => send(func, { ...params, authinfo }, true, readList),
    };
  }

  const session = createSession(() => authenticate(send, options), log);
  return {
    call: (func, params = {}, { safe = false } = {}) =>
      session.run((sid) => send(func, { ...params, auth: sid }, safe, readDoc)),
    list: (func, params = {}) => session.run((sid) => send(func, { ...params, auth: sid }, true, readList)),
  };
}

/** Reads an answer's text: throws a SellingError for an error document or a malformed one. */
type Reader<T> = (text: string, func: string) => Promise<T>;

type Send = <T>(func: string, params: SellingParams, safe: boolean, read: Reader<T>) => Promise<T>;

/**
 * The session of `func=auth`, shared by every call of the client: calls made before the first answer wait for
 * the same auth request. When a call is refused with `type="auth"` (the session expired) the session is renewed
 * once and the call made once more; a second refusal is the caller's error, never a loop.
 */
function createSession(authenticate: () => Promise<string>, log: Log) {
  let current: Promise<string> | undefined;
  const sessionId = (): Promise<string> => {
    if (!current) {
      const pending = authenticate();
      current = pending;
      pending.catch(() => {
        if (current === pending) current = undefined;
      });
    }
    return current;
  };
  return {
    async run<T>(work: (sid: string) => Promise<T>): Promise<T> {
      const used = sessionId();
      const sid = await used;
      try {
        return await work(sid);
      } catch (err) {
        if (!(err instanceof SellingApiError && err.type === 'auth')) throw err;
        if (current === used) current = undefined;
        log('info', 'selling BILLmanager session expired: authenticating again');
        return work(await sessionId());
      }
    },
  };
}

async function authenticate(send: Send, { username, password }: SellingClientOptions): Promise<string> {
  const doc = await send('auth', { username, password }, true, readDoc);
  const auth = doc.auth as XmlNode | string | undefined;
  const sid = (typeof auth === 'object' ? auth.$?.id : undefined) || textOf(auth);
  if (!sid) throw new SellingXmlError('auth', 'no session id in the answer');
  registerSecret(sid);
  return sid;
}

/** One call with its retries: the policy in retry.ts decides, p-retry repeats, the log gets redacted lines. */
function createSender(options: SellingClientOptions, log: Log): Send {
  const http = axios.create({
    baseURL: options.url,
    timeout: options.timeoutMs,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
  });
  const policy: RetryPolicy = { retries: options.retries, maxBackoffMs: options.maxBackoffMs };

  return async (func, params, safe, read) => {
    const started = Date.now();
    let attempt = 0;
    const took = () => `${Date.now() - started} ms, attempt ${attempt}`;
    try {
      const answer = await pRetry(
        (n) => {
          attempt = n;
          return attemptOnce(http, func, params, options.timeoutMs, read);
        },
        {
          retries: policy.retries,
          // p-retry only counts attempts; the wait is the policy's, taken in onFailedAttempt.
          minTimeout: 0,
          maxTimeout: 0,
          onFailedAttempt: async (err) => {
            const delayMs = nextRetryDelay(err, err.attemptNumber, safe, policy);
            if (delayMs === undefined) throw err;
            log(
              'warn',
              `selling ${func}: attempt ${err.attemptNumber} failed (${failureOf(err)}), retrying in ${delayMs} ms`,
            );
            await sleep(delayMs);
          },
        },
      );
      log('debug', `selling ${func}: ok in ${took()}`);
      return answer;
    } catch (err) {
      log('debug', `selling ${func}: ${failureOf(err)} in ${took()}`);
      throw err;
    }
  };
}

/** One HTTP exchange. Throws only SellingErrors: an axios error carries the URL and the body, so it never escapes. */
async function attemptOnce<T>(
  http: AxiosInstance,
  func: string,
  params: SellingParams,
  timeoutMs: number,
  read: Reader<T>,
): Promise<T> {
  const body = formOf(func, params);
  let response;
  try {
    // axios's timeout waits for the first byte; the signal bounds the whole exchange.
    response = await http.post<string>('', body, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw networkErrorOf(err, func);
  }
  if (response.status < 200 || response.status > 299) {
    throw new SellingHttpError(response.status, func, parseRetryAfter(response.headers['retry-after']));
  }
  return read(typeof response.data === 'string' ? response.data : '', func);
}

/** The answer's `<doc>`; an error document is thrown as a SellingApiError, malformed text as a SellingXmlError. */
async function readDoc(text: string, func: string): Promise<XmlNode> {
  let doc: XmlNode;
  try {
    doc = await parseXml(text, `func=${func}`);
  } catch (err) {
    throw new SellingXmlError(func, redact((err as Error).message));
  }
  const error = errorOf(doc);
  if (error) {
    const params = Object.fromEntries(
      Object.entries(error.params).map(([name, value]) => [name, redact(value)]),
    );
    throw new SellingApiError(error.type, error.object || func, `${func}: ${redact(error.message)}`, params);
  }
  return doc;
}

/** A list answer's `<elem>`s: a flat list is read as it streams by; any other answer as a whole document. */
async function readList(text: string, func: string): Promise<XmlNode[]> {
  return readFlatList(text) ?? elemsOf(await readDoc(text, func));
}

function formOf(func: string, params: SellingParams): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) form.set(key, String(value));
  form.set('func', func);
  form.set('out', 'xml');
  return form;
}

function networkErrorOf(err: unknown, func: string): SellingError {
  if (!axios.isAxiosError(err))
    return new SellingError('internal', func, `selling BILLmanager call ${func} could not be sent`);
  const code = err.code === 'ECONNABORTED' || err.code === 'ERR_CANCELED' ? 'ETIMEDOUT' : err.code;
  return new SellingNetworkError(code ?? 'ENETWORK', func);
}

/** A short, secret-free name of a failure for a log line. */
function failureOf(err: unknown): string {
  if (err instanceof SellingHttpError) return `HTTP ${err.status}`;
  if (err instanceof SellingNetworkError) return err.code;
  if (err instanceof SellingApiError) return `error type=${err.type}`;
  if (err instanceof SellingError) return `${err.type} error`;
  return 'failure';
}

/** A list answer as an array of `<elem>`: xml2js gives one elem as an object and none as nothing. */
function elemsOf(doc: XmlNode): XmlNode[] {
  return asList(doc.elem as XmlNode | string | (XmlNode | string)[] | undefined).map((elem) =>
    typeof elem === 'string' ? { _: elem } : elem,
  );
}
