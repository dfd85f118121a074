/**
 * The counter endpoint of seed 000, `GET /mancgi/bmp-counter?rnd=&project=&r=&p=` (COUNTER_PATH; the panel serves
 * `<mgrdir>/cgi/<name>` at `/mancgi/<name>`), loaded as an invisible image by
 * every page of the provider's site. It records a visit through a partner link (`from=<id>` in the page URL `p`)
 * with the referring page `r`, and gives the browser a visitor cookie that binds a later signup
 * (attribution.ts). One visitor through one partner's link makes one visit a server-local day; later loads that
 * day add hits to it (db/affiliate/counter.ts). Every parameter is hostile: lengths are capped, ids must be plain
 * numbers of an active partner, URLs must parse as http(s), nothing is ever echoed back, and the answer to GET
 * is always the same 1x1 transparent GIF with status 200, whatever happened; HEAD gets the same headers without
 * the body; any other method gets 405 and records nothing.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findCounterPartner, recordVisitHit } from '../db/affiliate/counter';
import type { Db } from '../db/types';
import { systemClock } from '../domain/clock';
import { affiliateIdFromPage, MAX_URL_LENGTH } from '../domain/affiliate/codes';
import { toDate, toDateTime } from '../domain/affiliate/period';
import { COUNTER_CGI_NAME } from '../module-name';

export const COUNTER_PATH = `/mancgi/${COUNTER_CGI_NAME}`;
export const VISITOR_COOKIE = 'bmp_aff_visitor';
/** The browser keeps the visitor cookie as long as a visit can bind a signup (attribution.ts). */
export const VISITOR_COOKIE_SECONDS = 90 * 24 * 3600;
/** Longer query strings are not looked into at all. */
export const MAX_QUERY_LENGTH = 4096;
const MAX_REFERRER_LENGTH = 1024;

/** The smallest transparent GIF: 1x1, one transparent colour. */
export const TRANSPARENT_GIF = Buffer.from(
  'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  'base64',
);

export interface CounterHit {
  /** The raw query string, without `?`. */
  query: string;
  /** The raw Cookie header. */
  cookie?: string | undefined;
  ip?: string | undefined;
  now: Date;
}

export interface CounterResult {
  /** The visitor id the answer sets (a known valid one is kept). */
  visitor: string;
  /** The partner the visit was recorded for, when it was. */
  affiliate?: number;
}

/** Records the hit when it is a visit through an active partner's link; never throws on bad input. */
export async function recordCounterHit(db: Db, hit: CounterHit): Promise<CounterResult> {
  const visitor = visitorFromCookie(hit.cookie) ?? randomBytes(16).toString('hex');
  if (hit.query.length > MAX_QUERY_LENGTH) return { visitor };
  const params = new URLSearchParams(hit.query);
  const page = normalUrl(params.get('p'), MAX_URL_LENGTH);
  const affiliate = page === undefined ? undefined : affiliateIdFromPage(page);
  if (page === undefined || affiliate === undefined) return { visitor };
  const partner = await findCounterPartner(db, affiliate);
  if (!partner || !partner.active || !partner.programActive) return { visitor };
  const project = wholeNumber(params.get('project'));
  // A visit counted on another provider's site does not belong to this partner's program.
  if (project !== undefined && project !== partner.project) return { visitor };
  await recordVisitHit(db, {
    affiliate,
    project: project ?? null,
    visitor,
    referrer: normalUrl(params.get('r'), MAX_REFERRER_LENGTH) ?? null,
    page,
    ip: hit.ip && /^[0-9a-fA-F:.]{2,45}$/.test(hit.ip) ? hit.ip : null,
    visited_at: toDateTime(hit.now),
    visit_day: toDate(hit.now),
  });
  return { visitor, affiliate };
}

/** The answer's headers: the GIF, never cached, and the visitor cookie. */
export function counterHeaders(visitor: string): Record<string, string> {
  return {
    'Content-Type': 'image/gif',
    'Content-Length': String(TRANSPARENT_GIF.length),
    'Cache-Control': 'no-store, no-cache, must-revalidate, max-age=0',
    Pragma: 'no-cache',
    Expires: '0',
    'X-Content-Type-Options': 'nosniff',
    'Set-Cookie': `${VISITOR_COOKIE}=${visitor}; Max-Age=${VISITOR_COOKIE_SECONDS}; Path=/; HttpOnly; Secure; SameSite=None`,
  };
}

export interface CounterOptions {
  now?: () => Date;
  /** Where failures go (never to the client). */
  log?: (message: string) => void;
}

/** A node:http request handler serving the counter; any other path is a plain 404. */
export function counterHandler(
  db: Db,
  options: CounterOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const now = options.now ?? (() => systemClock.now());
  const log = options.log ?? (() => undefined);
  return (req, res) => {
    // A client that hangs up makes its request and answer emit errors: they are logged, never thrown.
    const hungUp = (err: Error): void => log(`counter: the client went away: ${err.message.split('\n')[0]}`);
    req.on('error', hungUp);
    res.on('error', hungUp);
    serve(db, req, res, now, log).catch((err: unknown) =>
      log(`counter: the request failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`),
    );
  };
}

/** The methods the counter answers; an image request is GET, and HEAD is answered as GET without the body. */
export const COUNTER_METHODS = ['GET', 'HEAD'] as const;

export function isCounterMethod(method: string | undefined): boolean {
  return (COUNTER_METHODS as readonly string[]).includes(method ?? '');
}

/** The answer to any other method: 405, naming the methods that are answered; nothing is recorded. */
export function methodNotAllowedHeaders(): Record<string, string> {
  return {
    Allow: COUNTER_METHODS.join(', '),
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  };
}
export const METHOD_NOT_ALLOWED_BODY = 'method not allowed\n';

async function serve(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  now: () => Date,
  log: (message: string) => void,
): Promise<void> {
  const target = req.url ?? '';
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  if (path !== COUNTER_PATH) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('not found\n');
    return;
  }
  if (!isCounterMethod(req.method)) {
    res.writeHead(405, methodNotAllowedHeaders());
    res.end(METHOD_NOT_ALLOWED_BODY);
    return;
  }
  const cookie = req.headers.cookie;
  let visitor = visitorFromCookie(cookie) ?? randomBytes(16).toString('hex');
  try {
    const result = await recordCounterHit(db, {
      query: mark === -1 ? '' : target.slice(mark + 1),
      cookie,
      ip: req.socket.remoteAddress,
      now: now(),
    });
    visitor = result.visitor;
  } catch (err) {
    log(
      `counter: the visit was not recorded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
  // The client may have hung up while the visit was recorded: there is nobody left to answer.
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, counterHeaders(visitor));
  res.end(req.method === 'HEAD' ? undefined : TRANSPARENT_GIF);
}

/** Our own cookie value, when the browser sent a well-formed one; anything else is ignored. */
export function visitorFromCookie(header: string | undefined): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === VISITOR_COOKIE && value && /^[0-9a-f]{32}$/.test(value)) return value;
  }
  return undefined;
}

function normalUrl(text: string | null, maxLength: number): string | undefined {
  if (!text || text.length > maxLength) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const normal = url.toString();
    return normal.length <= maxLength ? normal : undefined;
  } catch {
    return undefined;
  }
}

function wholeNumber(text: string | null): number | undefined {
  return text !== null && /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}
