/**
 * The counter endpoint under hostile input, over real HTTP (node:http serving counterHandler) and as the CGI
 * program handlers/counter. Every answer must be the 1x1 GIF with 200 and no-store, nothing may be reflected,
 * and only visits through an active partner's link may be recorded. `npm run build` first (for the CGI).
 */
import { spawnSync } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bindSignupToVisit } from '../../../src/affiliate/attribution';
import {
  COUNTER_PATH,
  counterHandler,
  TRANSPARENT_GIF,
  VISITOR_COOKIE,
} from '../../../src/affiliate/counter';
import { T } from '../../../src/db/affiliate/tables';
import { projectPath } from '../../../src/paths';
import { AffiliateWorld } from '../../integration/affiliate/world';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;
let server: Server;
let port: number;
let partnerId: number;
const logged: string[] = [];

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
  const program = await world.program({ project: 1 });
  partnerId = (await world.partner(program)).id;
  server = createServer(
    counterHandler(throwaway.db, { now: () => new Date('2026-10-10T10:00:00Z'), log: (m) => logged.push(m) }),
  );
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

async function visits(): Promise<
  Array<{ affiliate: number; referrer: string | null; page: string; visitor: string }>
> {
  return throwaway.db(T.visit).orderBy('id');
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

  it('answers the GIF to HEAD and POST too, and a plain 404 elsewhere', async () => {
    const head = await get(counter('rnd=1'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expectGif(await get(counter('rnd=1'), { method: 'POST' }));
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

  it('still prints the GIF when it cannot reach the database', () => {
    const answer = cgi(`p=${page(String(partnerId))}`, {
      BMP_DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none',
    });
    expect(answer.code).toBe(0);
    expect(answer.body.equals(TRANSPARENT_GIF)).toBe(true);
  });
});
