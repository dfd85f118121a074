/**
 * The counter endpoint under hostile input, over real HTTP (node:http serving counterHandler) and as the CGI
 * program handlers/counter. Every answer to GET must be the 1x1 GIF with 200 and no-store (HEAD: its headers, no
 * body), any other method 405; nothing may be reflected, only visits through an active partner's link may be
 * recorded, one row per visitor, partner and day, and a client hanging up must not stop the counter. `npm run
 * build` first (for the CGI).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { bindSignupToVisit } from '../../../src/affiliate/attribution';
import {
  COUNTER_PATH,
  counterHandler,
  TRANSPARENT_GIF,
  VISITOR_COOKIE,
} from '../../../src/affiliate/counter';
import { T } from '../../../src/db/affiliate/tables';
import { localDate } from '../../../src/domain/dates';
import { projectPath } from '../../../src/paths';
import { AffiliateWorld } from '../../integration/affiliate/world';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;
let server: Server;
let port: number;
let partnerId: number;
const logged: string[] = [];
const NOON = new Date(2026, 9, 10, 12, 0);
/** The server's clock; a test that moves it puts it back. */
let clock = NOON;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
  const program = await world.program({ project: 1 });
  partnerId = (await world.partner(program)).id;
  server = createServer(counterHandler(throwaway.db, { now: () => clock, log: (m) => logged.push(m) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await throwaway.drop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(
  path: string,
  { method = 'GET', cookie }: { method?: string; cookie?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: cookie === undefined ? {} : { cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const page = (from: string): string => encodeURIComponent(`https://provider.example/vps?from=${from}`);
const counter = (query: string): string => `${COUNTER_PATH}?${query}`;

interface VisitRow {
  affiliate: number;
  referrer: string | null;
  page: string;
  visitor: string;
  hits: number;
}

async function visits(): Promise<VisitRow[]> {
  return throwaway.db(T.visit).orderBy('id');
}

async function visitsOf(visitor: string): Promise<VisitRow[]> {
  return throwaway.db(T.visit).where({ visitor }).orderBy('id');
}

function expectGif(answer: Answer): void {
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('image/gif');
  expect(answer.headers['cache-control']).toContain('no-store');
  expect(answer.body.equals(TRANSPARENT_GIF)).toBe(true);
}

function visitorOf(answer: Answer): string {
  const cookie = ([] as string[]).concat(answer.headers['set-cookie'] ?? []).join(';');
  const match = new RegExp(`${VISITOR_COOKIE}=([0-9a-f]{32})`).exec(cookie);
  if (!match?.[1]) throw new Error(`no visitor cookie in ${cookie}`);
  return match[1];
}

describe('the counter over HTTP', () => {
  it('records a partner-link visit with its referring page, and the cookie binds a later signup', async () => {
    const referrer = encodeURIComponent('https://blog.example/best-hosting');
    const answer = await get(counter(`rnd=0.123&project=1&r=${referrer}&p=${page(String(partnerId))}`));
    expectGif(answer);
    const visitor = visitorOf(answer);
    expect(await visits()).toEqual([
      expect.objectContaining({
        affiliate: partnerId,
        visitor,
        referrer: 'https://blog.example/best-hosting',
        page: `https://provider.example/vps?from=${partnerId}`,
      }),
    ]);

    const client = await world.account();
    const bound = await bindSignupToVisit(throwaway.db, {
      account: client,
      visitor,
      now: new Date('2026-10-11T00:00:00Z'),
    });
    expect(bound).toMatchObject({ bound: true, affiliate: partnerId });
    expect(await throwaway.db(T.referral).where({ account: client }).first()).toMatchObject({
      source: 'link',
    });

    // Someone who never came through a link binds to nobody.
    const stranger = await world.account();
    const unbound = await bindSignupToVisit(throwaway.db, {
      account: stranger,
      visitor: 'f'.repeat(32),
      now: new Date('2026-10-11T00:00:00Z'),
    });
    expect(unbound).toMatchObject({ bound: false, reason: 'no_visit' });
  });

  it('keeps a well-formed visitor cookie and replaces a hostile one', async () => {
    const known = 'a'.repeat(32);
    expect(visitorOf(await get(counter('rnd=1'), { cookie: `x=1; ${VISITOR_COOKIE}=${known}` }))).toBe(known);
    const hostile = await get(counter('rnd=1'), { cookie: `${VISITOR_COOKIE}=<script>alert(1)</script>` });
    expect(visitorOf(hostile)).not.toContain('script');
  });

  const hostile: Array<[string, string]> = [
    ['an unknown partner', `p=${page('999999')}`],
    ['a partner id that is not a number', `p=${page('abc')}`],
    ['SQL in the partner id', `p=${page("1' OR '1'='1")}`],
    ['a partner id with a NUL byte', `p=${page('1%00')}`],
    ['a partner id beyond 32 bits', `p=${page('99999999999')}`],
    ['a page that is not http', `p=${encodeURIComponent(`javascript:alert(1)//?from=1`)}`],
    ['a page that is not a URL', 'p=%E0%A4%A'],
    ['another provider', `project=2&p=${page('1')}`],
    ['a query longer than the counter reads', `p=${page('1')}&pad=${'x'.repeat(6000)}`],
    ['no parameters at all', ''],
  ];

  it.each(hostile)('answers the GIF and records nothing for %s', async (_what, query) => {
    const before = (await visits()).length;
    expectGif(await get(counter(query.replace(/from%3D1\b/, `from%3D${partnerId}`))));
    expect((await visits()).length).toBe(before);
  });

  it('never reflects input and survives SQL and HTML in every parameter', async () => {
    const evil = "');DROP TABLE bmp_affiliate_visit;--<script>alert(document.cookie)</script>";
    const query = [
      `rnd=${encodeURIComponent(evil)}`,
      `project=${encodeURIComponent(evil)}`,
      `r=${encodeURIComponent(`https://evil.example/${evil}`)}`,
      `p=${page(String(partnerId))}`,
      `p=${page('999')}`, // a repeated parameter: the first one counts
    ].join('&');
    const answer = await get(counter(query));
    expectGif(answer);
    expect(JSON.stringify(answer.headers)).not.toMatch(/script|DROP/i);
    const last = (await visits()).at(-1);
    expect(last).toMatchObject({ affiliate: partnerId });
    expect(last?.referrer).not.toContain('<script>'); // stored as an encoded URL
    expect(await throwaway.db.schema.hasTable(T.visit)).toBe(true);
  });

  it('answers HEAD with the GIF headers and no body, and records it', async () => {
    const visitor = 'b'.repeat(32);
    const head = await get(counter(`p=${page(String(partnerId))}`), {
      method: 'HEAD',
      cookie: `${VISITOR_COOKIE}=${visitor}`,
    });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('image/gif');
    expect(head.headers['content-length']).toBe(String(TRANSPARENT_GIF.length));
    expect(head.body.length).toBe(0);
    expect(visitorOf(head)).toBe(visitor);
    expect(await visitsOf(visitor)).toEqual([expect.objectContaining({ affiliate: partnerId, hits: 1 })]);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])(
    'refuses %s with 405 and Allow: GET, HEAD, and records nothing',
    async (method) => {
      const visitor = 'c'.repeat(32);
      const cookie = `${VISITOR_COOKIE}=${visitor}`;
      await get(counter(`p=${page(String(partnerId))}`), { cookie });
      const before = await visitsOf(visitor);
      const refused = await get(counter(`p=${page(String(partnerId))}`), { method, cookie });
      expect(refused.status).toBe(405);
      expect(refused.headers.allow).toBe('GET, HEAD');
      expect(refused.headers['set-cookie']).toBeUndefined();
      expect(await visitsOf(visitor)).toEqual(before);
    },
  );

  it('answers a plain 404 elsewhere', async () => {
    const other = await get(`/mancgi/other?p=${page('1')}<script>`);
    expect(other.status).toBe(404);
    expect(other.body.toString()).toBe('not found\n');
  });

  it('answers the GIF when the database fails, and logs why', async () => {
    await throwaway.db.schema.renameTable(T.visit, 'bmp_visit_away');
    try {
      expectGif(await get(counter(`p=${page(String(partnerId))}`)));
      expect(logged.join('\n')).toMatch(/the visit was not recorded/);
    } finally {
      await throwaway.db.schema.renameTable('bmp_visit_away', T.visit);
    }
  });
});

describe('the counter over HTTP, a visit a day', () => {
  afterEach(() => {
    clock = NOON;
  });

  it('a second hit the same day makes no new row and adds a hit; the next day makes a row', async () => {
    const visitor = 'd'.repeat(32);
    const cookie = `${VISITOR_COOKIE}=${visitor}`;
    clock = new Date(2026, 9, 20, 9, 0);
    expectGif(await get(counter(`p=${page(String(partnerId))}`), { cookie }));
    clock = new Date(2026, 9, 20, 23, 59);
    expectGif(await get(counter(`p=${page(String(partnerId))}`), { cookie }));
    expect((await visitsOf(visitor)).map((v) => v.hits)).toEqual([2]);

    clock = new Date(2026, 9, 21, 0, 1);
    expectGif(await get(counter(`p=${page(String(partnerId))}`), { cookie }));
    expect((await visitsOf(visitor)).map((v) => v.hits)).toEqual([2, 1]);
  });

  it('ten first hits at once make one row with ten hits', async () => {
    const visitor = 'e'.repeat(32);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        get(counter(`p=${page(String(partnerId))}`), { cookie: `${VISITOR_COOKIE}=${visitor}` }),
      ),
    );
    answers.forEach(expectGif);
    expect((await visitsOf(visitor)).map((v) => v.hits)).toEqual([10]);
  });

  /** Sends `text` on a raw connection and hangs up without reading the answer (`reset`: with a TCP RST). */
  async function hangUp(text: string, { wait = 100, reset = false } = {}): Promise<void> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    socket.write(text);
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (reset) socket.resetAndDestroy();
    else socket.destroy();
  }

  it('a client that hangs up before the answer leaves the counter serving the next request', async () => {
    const visitor = 'f'.repeat(32);
    // Holding the day's row makes the counter wait on the database until after the client is gone.
    const trx = await throwaway.db.transaction();
    try {
      await trx(T.visit).insert({
        affiliate: partnerId,
        visitor,
        visited_at: '2026-10-10 00:00:00',
        visit_day: localDate(clock),
        hits: 1,
      });
      const request = `GET ${counter(`p=${page(String(partnerId))}`)} HTTP/1.1\r\nHost: x\r\nCookie: ${VISITOR_COOKIE}=${visitor}\r\n\r\n`;
      await hangUp(request, { wait: 200 });
      await hangUp(request, { wait: 200, reset: true });
    } finally {
      await trx.rollback();
    }
    // A request cut off in its body, then headers alone.
    await hangUp(`GET ${COUNTER_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc`, {
      reset: true,
    });
    await hangUp(`GET ${COUNTER_PATH} HTTP/1.1\r\nHost: x\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expectGif(await get(counter(`p=${page(String(partnerId))}`), { cookie: `${VISITOR_COOKIE}=${visitor}` }));
    // Both hung-up hits were recorded once the row was free, and the next one too.
    expect((await visitsOf(visitor)).map((v) => v.hits)).toEqual([3]);
  });
});

describe('handlers/counter as a CGI program', () => {
  function cgi(
    query: string,
    extra: Record<string, string> = {},
  ): { headers: string; body: Buffer; code: number | null } {
    const result = spawnSync(projectPath('handlers', 'counter'), [], {
      env: {
        PATH: process.env.PATH ?? '',
        BMP_DATABASE_URL: throwaway.url,
        BMP_LOG: 'stderr',
        QUERY_STRING: query,
        REMOTE_ADDR: '203.0.113.7',
        ...extra,
      },
    });
    const out = result.stdout;
    const split = out.indexOf('\r\n\r\n');
    return { headers: out.subarray(0, split).toString(), body: out.subarray(split + 4), code: result.status };
  }

  it('prints the headers and the GIF, and records the visit', async () => {
    const before = (await visits()).length;
    const answer = cgi(`rnd=5&project=1&r=&p=${page(String(partnerId))}`);
    expect(answer.code).toBe(0);
    expect(answer.headers).toMatch(/^Status: 200 OK\r\nContent-Type: image\/gif\r\n/);
    expect(answer.headers).toMatch(/Cache-Control: no-store/);
    expect(answer.body.equals(TRANSPARENT_GIF)).toBe(true);
    const last = (await visits()).at(-1);
    expect((await visits()).length).toBe(before + 1);
    expect(last).toMatchObject({ affiliate: partnerId, ip: '203.0.113.7' });
  });

  it('answers HEAD with the headers alone, records it, and counts a second hit that day on the same row', async () => {
    const visitor = '1'.repeat(32);
    const head = cgi(`p=${page(String(partnerId))}`, {
      REQUEST_METHOD: 'HEAD',
      HTTP_COOKIE: `${VISITOR_COOKIE}=${visitor}`,
    });
    expect(head.code).toBe(0);
    expect(head.headers).toMatch(/^Status: 200 OK\r\nContent-Type: image\/gif\r\n/);
    expect(head.body.length).toBe(0);
    cgi(`p=${page(String(partnerId))}`, {
      REQUEST_METHOD: 'GET',
      HTTP_COOKIE: `${VISITOR_COOKIE}=${visitor}`,
    });
    expect((await visitsOf(visitor)).map((v) => v.hits)).toEqual([2]);
  });

  it('refuses POST with 405 and Allow: GET, HEAD, and records nothing', async () => {
    const before = await visits();
    const post = cgi(`p=${page(String(partnerId))}`, { REQUEST_METHOD: 'POST' });
    expect(post.code).toBe(0);
    expect(post.headers).toMatch(/^Status: 405 Method Not Allowed\r\n/);
    expect(post.headers).toMatch(/\r\nAllow: GET, HEAD(\r\n|$)/);
    expect(post.headers).not.toMatch(/Set-Cookie/i);
    expect(await visits()).toEqual(before);
  });

  it('records the visit and ends well when the browser hangs up before the answer', async () => {
    const visitor = '2'.repeat(32);
    const child = spawn(projectPath('handlers', 'counter'), [], {
      env: {
        PATH: process.env.PATH ?? '',
        BMP_DATABASE_URL: throwaway.url,
        BMP_LOG: 'stderr',
        REQUEST_METHOD: 'GET',
        QUERY_STRING: `p=${page(String(partnerId))}`,
        HTTP_COOKIE: `${VISITOR_COOKIE}=${visitor}`,
      },
    });
    // The web server closes the answer's pipe: nobody reads what the counter prints.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/the client went away before the answer \(EPIPE\)/);
    expect(code).toBe(0);
    expect((await visitsOf(visitor)).map((v) => v.hits)).toEqual([1]);
  });

  it('still prints the GIF when it cannot reach the database', () => {
    const answer = cgi(`p=${page(String(partnerId))}`, {
      BMP_DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none',
    });
    expect(answer.code).toBe(0);
    expect(answer.body.equals(TRANSPARENT_GIF)).toBe(true);
  });
});
