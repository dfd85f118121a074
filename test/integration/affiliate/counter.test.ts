/**
 * The counter's visits on MariaDB: one row per partner, visitor and server-local day, later hits that day counted
 * on it, two first hits at once still one row; visits are rows and hits their sum. The time-zone case runs the
 * built code (`npm run build` first) in a process of its own with TZ set, as on the server.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { recordCounterHit } from '../../../src/affiliate/counter';
import { visitsOf, visitTotals } from '../../../src/db/affiliate/counter';
import { localDate } from '../../../src/domain/dates';
import { projectPath } from '../../../src/paths';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { AffiliateWorld } from './world';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

const cookieOf = (visitor: string): string => `bmp_aff_visitor=${visitor}`;
const query = (partner: number, referrer = 'https://blog.example/'): string =>
  `rnd=1&r=${encodeURIComponent(referrer)}&p=${encodeURIComponent(`https://provider.example/?from=${partner}`)}`;
/** A moment given in the server's own calendar, whatever its time zone. */
const local = (day: number, hour: number, minute = 0): Date => new Date(2026, 9, day, hour, minute);

async function newPartner(): Promise<number> {
  return (await world.partner(await world.program({ project: 1 }))).id;
}

function hit(partner: number, visitor: string, now: Date, referrer?: string): Promise<unknown> {
  return recordCounterHit(throwaway.db, { query: query(partner, referrer), cookie: cookieOf(visitor), now });
}

describe('a visit a day', () => {
  it('a second hit the same day makes no new row and adds a hit; the first hit keeps its referrer and time', async () => {
    const partner = await newPartner();
    const visitor = randomBytes(16).toString('hex');
    await hit(partner, visitor, local(10, 0, 5), 'https://first.example/');
    await hit(partner, visitor, local(10, 12, 0), 'https://second.example/');
    await hit(partner, visitor, local(10, 23, 59), 'https://third.example/');

    const rows = await visitsOf(throwaway.db, partner);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      visitor,
      hits: 3,
      visit_day: '2026-10-10',
      referrer: 'https://first.example/',
      visited_at: local(10, 0, 5).toISOString().slice(0, 19).replace('T', ' '),
    });
    expect((await visitTotals(throwaway.db, [partner])).get(partner)).toEqual({ visits: 1, hits: 3 });
  });

  it('a hit the next server-local day makes a new row, an hour after the last one', async () => {
    const partner = await newPartner();
    const visitor = randomBytes(16).toString('hex');
    await hit(partner, visitor, local(10, 23, 30));
    await hit(partner, visitor, local(11, 0, 30));

    const rows = await visitsOf(throwaway.db, partner);
    expect(rows.map((row) => [row.visit_day, row.hits])).toEqual([
      [localDate(local(10, 23, 30)), 1],
      [localDate(local(11, 0, 30)), 1],
    ]);
    expect(rows.map((row) => row.visit_day)).toEqual(['2026-10-10', '2026-10-11']);
  });

  it('another visitor, or the same visitor through another partner, is a visit of its own', async () => {
    const partner = await newPartner();
    const other = await newPartner();
    const visitor = randomBytes(16).toString('hex');
    await hit(partner, visitor, local(12, 9));
    await hit(partner, randomBytes(16).toString('hex'), local(12, 9));
    await hit(other, visitor, local(12, 9));
    await hit(partner, visitor, local(12, 10));

    expect((await visitTotals(throwaway.db, [partner, other, 999999])).get(partner)).toEqual({
      visits: 2,
      hits: 3,
    });
    expect((await visitTotals(throwaway.db, [other])).get(other)).toEqual({ visits: 1, hits: 1 });
    expect((await visitTotals(throwaway.db, [999999])).get(999999)).toEqual({ visits: 0, hits: 0 });
  });

  it('twenty first hits at once make one row with twenty hits', async () => {
    const partner = await newPartner();
    const visitor = randomBytes(16).toString('hex');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => hit(partner, visitor, local(13, 8))),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const rows = await visitsOf(throwaway.db, partner);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.hits).toBe(20);
  });

  it("the day is the server's: in Tokyo, hits on one UTC day either side of midnight there are two visits", async () => {
    const partner = await newPartner();
    const visitor = randomBytes(16).toString('hex');
    const script = `
      const { recordCounterHit } = require(${JSON.stringify(projectPath('dist/src/affiliate/counter.js'))});
      const { openDatabaseUrl } = require(${JSON.stringify(projectPath('dist/src/db/connect.js'))});
      const db = openDatabaseUrl(process.argv[1]);
      (async () => {
        for (const at of process.argv.slice(4)) {
          await recordCounterHit(db, { query: process.argv[2], cookie: process.argv[3], now: new Date(at) });
        }
      })().finally(() => db.destroy());`;
    const run = spawnSync(
      process.execPath,
      // Tokyo is UTC+9: 14:30 UTC is 23:30 on the 10th there, 15:30 and 16:00 UTC are the 11th.
      [
        '-e',
        script,
        throwaway.url,
        query(partner),
        cookieOf(visitor),
        '2026-10-10T14:30:00Z',
        '2026-10-10T15:30:00Z',
        '2026-10-10T16:00:00Z',
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Tokyo' }, timeout: 30000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const rows = await visitsOf(throwaway.db, partner);
    expect(rows.map((row) => [row.visit_day, row.hits])).toEqual([
      ['2026-10-10', 1],
      ['2026-10-11', 2],
    ]);
  });
});
