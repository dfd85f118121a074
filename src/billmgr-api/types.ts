/** What the rest of the plugin sees of the selling BILLmanager: one client interface and its typed errors. */
import { HostError } from '../contract/errors';
import type { XmlNode } from '../contract/xml';

export type SellingParams = Readonly<Record<string, string | number | undefined>>;

export interface SellingClientOptions {
  /** Base URL of the selling panel, e.g. `https://my.host/billmgr`. */
  url: string;
  username: string;
  password: string;
  /** `session` (func=auth, then auth=SID, one re-auth on type="auth") or stateless `authinfo`. */
  mode?: 'session' | 'authinfo';
  timeoutMs: number;
  /** Retries of a call marked safe; 0 disables retry. */
  retries: number;
  maxBackoffMs: number;
  /** Called with redacted, human-readable lines (one per call and per retry). */
  log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
}

export interface CallOptions {
  /** True when repeating the call cannot do harm (reads, idempotent edits). Only safe calls are retried. */
  safe?: boolean;
}

export interface SellingClient {
  /** `func` with params as a form POST; resolves the parsed `<doc>`; throws a SellingError subtype. */
  call(func: string, params?: SellingParams, options?: CallOptions): Promise<XmlNode>;
  /** A list function (`vds`, `itemevent`, ...): always an array of `<elem>`, even for one or none. Safe. */
  list(func: string, params?: SellingParams): Promise<XmlNode[]>;
}

/** Base of every failure talking to the selling side. Messages never contain passwords, session ids or authinfo. */
export class SellingError extends HostError {}

/** The selling side answered with `<error type object>`. */
export class SellingApiError extends SellingError {
  constructor(type: string, object: string, message: string, params: Record<string, string> = {}) {
    super(type, object, `selling BILLmanager: ${message}`, params);
    this.name = 'SellingApiError';
  }
}

/** HTTP status outside 2xx. */
export class SellingHttpError extends SellingError {
  constructor(
    readonly status: number,
    func: string,
    /** The server's `Retry-After`, in ms, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super('connection', func, `selling BILLmanager answered HTTP ${status} to ${func}`);
    this.name = 'SellingHttpError';
  }
}

/** No answer: refused, reset, DNS, or the call's timeout. */
export class SellingNetworkError extends SellingError {
  constructor(
    readonly code: string,
    func: string,
  ) {
    super('connection', func, `selling BILLmanager unreachable (${code}) on ${func}`);
    this.name = 'SellingNetworkError';
  }
}

/** An answer that is not a `<doc>` XML document. */
export class SellingXmlError extends SellingError {
  constructor(func: string, detail: string) {
    super('xml', func, `selling BILLmanager sent a malformed answer to ${func}: ${detail}`);
    this.name = 'SellingXmlError';
  }
}
