/**
 * Many redeemers at once on MariaDB, each on its own connection: nothing is ever redeemed over any limit (the
 * code's, the client's of the code, the client's of the promotion), and each refusal says which limit.
 */
import knex, { type Knex } from 'knex';
import { money } from '../../../src/domain/money';
import { knexConfigFromUrl } from '../../../src/db/connect';
import { redeem, type RedeemOutcome } from '../../../src/promotions/redemption/redeem';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { codeUses, makeCertificates, makeCodes, ports, RecordingCredit } from './redemption-world';
import { PromotionWorld } from './codes-world';

let throwaway: ThrowawayDb;
let world: PromotionWorld;
let wide: Knex;
const now = new Date('2026-12-02T10:00:00Z');

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
  const config = knexConfigFromUrl(throwaway.url);
  wide = knex({ ...config, pool: { min: 0, max: 60 } });
});
afterAll(async () => {
  await wide.destroy();
  await throwaway.drop();
});

function tally(outcomes: RedeemOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.redeemed ? 'redeemed' : o.refusal.reason;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

it('50 clients redeeming a code of limit 10 (1 per client), each twice at once: 10 uses, none over (eligibility: always)', async () => {
  const promotion = await world.promotion();
  const [code = ''] = await makeCodes(throwaway.db, { promotion, usesLimit: 10, perClientLimit: 1 });
  const accounts: number[] = [];
  for (let i = 0; i < 50; i += 1) accounts.push(await world.account());
  const outcomes = await Promise.all(
    [...accounts, ...accounts].map((account) => redeem(wide, { account, code }, ports(now))),
  );
  const counts = tally(outcomes);
  expect(counts.redeemed).toBe(10);
  expect((counts.used_up ?? 0) + (counts.already_used ?? 0)).toBe(90);
  expect(await codeUses(throwaway.db, code)).toBe(10);
  const perClient = (await throwaway
    .db('bmp_promotion_redemption')
    .where({ promotion })
    .groupBy('account')
    .select('account')
    .count({ n: '*' })) as { n: number | string }[];
  expect(perClient.length).toBe(10);
  for (const row of perClient) expect(Number(row.n)).toBe(1);
});

it('one client sending 20 certificates at once to a promotion of limit 2 per client: 2 credited (eligibility: always)', async () => {
  const promotion = await world.promotion({ kind: 'certificate', per_client_limit: 2 });
  const certificates = await makeCertificates(throwaway.db, {
    promotion,
    count: 20,
    amount: { kind: 'fixed', amount: money(500n, 'USD') },
  });
  const account = await world.account();
  const credit = new RecordingCredit();
  const outcomes = await Promise.all(
    certificates.map((code) => redeem(wide, { account, code }, ports(now, credit))),
  );
  expect(tally(outcomes)).toEqual({ redeemed: 2, already_used: 18 });
  expect(credit.totalFor(account)).toBe(1000n);
});
