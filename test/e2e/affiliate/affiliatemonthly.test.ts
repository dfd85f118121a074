/** handlers/affiliatemonthly as a process on MariaDB: the summary document, dry run, re-runs, two at once. */
import { parseXml, asList, textOf, type XmlNode } from '../../../src/contract/xml';
import { T } from '../../../src/db/affiliate/tables';
import { AffiliateWorld } from '../../integration/affiliate/world';
import { runHandlerProcess, type HandlerOutcome } from '../../support/handler';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

type Outcome = HandlerOutcome;

function affiliatemonthly(args: string[]): Promise<Outcome> {
  return runHandlerProcess('affiliatemonthly', throwaway.url, args);
}

async function summaryOf(outcome: Outcome): Promise<XmlNode> {
  expect(outcome.code).toBe(0);
  return (await parseXml(outcome.stdout, 'affiliatemonthly')).affiliatemonthly as XmlNode;
}

function amounts(node: XmlNode, name: string): Record<string, string> {
  return Object.fromEntries(
    asList(node[name] as XmlNode | XmlNode[]).map((n) => [n.$?.currency ?? '', textOf(n) ?? '']),
  );
}

describe('handlers/affiliatemonthly', () => {
  it('dry run shows, the run pays, a re-run pays nothing more, and two at once pay once', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partners = [];
    for (let i = 0; i < 3; i++) {
      const partner = await world.partner(program);
      const { account } = await world.referral(partner, '2025-09-01T00:00:00Z');
      await world.expense(account, '123.45', '2025-10-15 00:00:00');
      partners.push(partner);
    }

    const dry = await summaryOf(await affiliatemonthly(['--date', '2025-11-01', '--dry-run']));
    expect(dry.$).toEqual({ period: '2025-10', date: '2025-11-01', dryrun: 'on' });
    expect(amounts(dry, 'applied')).toEqual({ USD: '37.05' }); // 3 x 12.345 -> 3 x 12.35
    expect(await world.count(T.ledger)).toBe(0);
    expect(await world.count('payment')).toBe(0);

    const paid = await summaryOf(await affiliatemonthly(['--date', '2025-11-01']));
    expect(textOf(paid.payments)).toBe('3');
    expect(amounts(paid, 'earned')).toEqual({ USD: '37.05' });

    const again = await summaryOf(await affiliatemonthly(['--date', '2025-11-20']));
    expect(again.$?.period).toBe('2025-10');
    expect(textOf(again.payments)).toBe('0');
    expect(amounts(again, 'earned')).toEqual({});

    // November: two processes at once.
    for (const partner of partners) {
      const { account } = await world.referral(partner, '2025-11-01T00:00:00Z');
      await world.expense(account, '10.00', '2025-11-15 00:00:00');
    }
    const both = await Promise.all([
      affiliatemonthly(['--date', '2025-12-01']),
      affiliatemonthly(['--date', '2025-12-01']),
    ]);
    const counts = await Promise.all(both.map(async (o) => Number(textOf((await summaryOf(o)).payments))));
    expect(counts.sort()).toEqual([0, 3]);
    for (const partner of partners) {
      expect(await world.rewardPayments(partner.account)).toEqual(['12.35', '1.00']);
    }
  });

  it('refuses to pay a month that is not over yet, but a dry run may look ahead', async () => {
    const next = new Date();
    next.setUTCMonth(next.getUTCMonth() + 1, 1);
    const date = next.toISOString().slice(0, 10); // pays for the current month
    const refused = await affiliatemonthly(['--date', date]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/is not over yet/);
    expect((await affiliatemonthly(['--date', date, '--dry-run'])).code).toBe(0);
  });

  it('refuses bad arguments with an error document and a non-zero exit', async () => {
    for (const args of [['--date', '2025-02-30'], ['--date'], ['--month', '2025-01'], ['extra']]) {
      const outcome = await affiliatemonthly(args);
      expect(outcome.code).not.toBe(0);
      const doc = await parseXml(outcome.stdout, 'affiliatemonthly');
      expect((doc.error as XmlNode).$?.type).toBe('value');
    }
  });
});
